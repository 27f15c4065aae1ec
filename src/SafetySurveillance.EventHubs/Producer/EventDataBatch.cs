using SafetySurveillance.EventHubs.Amqp;

namespace SafetySurveillance.EventHubs.Producer;

/// <summary>
/// Events that fit in one AMQP transfer, sent together and atomically. The size is the exact encoded size of the
/// <c>0x80013700</c> envelope, measured against the max-message-size the broker granted the sender link.
/// </summary>
public sealed class EventDataBatch : IDisposable
{
    private readonly Lock sync = new();
    private readonly List<byte[]> encoded = [];
    private readonly List<EventData> events = [];
    private bool disposed;

    internal EventDataBatch(long maximumSizeInBytes, CreateBatchOptions options)
    {
        MaximumSizeInBytes = maximumSizeInBytes;
        Options = options;
        SizeInBytes = AmqpEventConverter.EnvelopeOverhead(options.PartitionKey);
    }

    /// <summary>How many events the batch holds.</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return encoded.Count;
            }
        }
    }

    /// <summary>The encoded size of the batch so far, in bytes.</summary>
    public long SizeInBytes { get; private set; }

    /// <summary>The largest the batch may grow, in bytes.</summary>
    public long MaximumSizeInBytes { get; }

    internal CreateBatchOptions Options { get; }

    internal IReadOnlyList<EventData> Events => events;

    /// <summary>Adds an event if it fits; returns <see langword="false"/> when it would make the batch too large.</summary>
    public bool TryAdd(EventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        var bytes = AmqpEventConverter.Encode(eventData, Options.PartitionKey);
        var size = AmqpEventConverter.DataSectionSize(bytes.Length);
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (SizeInBytes + size > MaximumSizeInBytes)
            {
                return false;
            }

            encoded.Add(bytes);
            events.Add(eventData);
            SizeInBytes += size;
            return true;
        }
    }

    /// <summary>Releases the encoded events.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            disposed = true;
            encoded.Clear();
            events.Clear();
        }
    }

    internal IReadOnlyList<byte[]> Snapshot()
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return [.. encoded];
        }
    }
}
