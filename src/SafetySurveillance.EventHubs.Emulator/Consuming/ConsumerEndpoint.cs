using System.Globalization;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Protocol;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator.Consuming;

/// <summary>
/// Sends a partition's events to one receiver link, only while the link has credit: reads committed records
/// from the log, waits for new ones at the end, completes a drain when nothing is left. Stored events already
/// carry their <c>x-opt-*</c> annotations; with the runtime-metric capability each delivery also gets
/// delivery annotations describing the partition's last event.
/// </summary>
internal sealed class ConsumerEndpoint
{
    public static readonly Symbol RuntimeMetricCapability = new("com.microsoft:enable-receiver-runtime-metric");

    /// <summary>
    /// The most unsettled deliveries a receiver may have in the broker at once. Credit alone does not bound
    /// memory: the JS SDK adds up to three batches of credit on every receive call, so its credit grows while
    /// events are plentiful, and deliveries beyond what the socket takes would queue in the AMQP session.
    /// Receivers that settle on send (the .NET SDK's mode) restore credit only as they process, so they need no cap.
    /// </summary>
    public const int MaxUnsettled = 2000;

    private static readonly Symbol LastSequenceNumber = new("last_enqueued_sequence_number");
    private static readonly Symbol LastOffset = new("last_enqueued_offset");
    private static readonly Symbol LastEnqueuedTime = new("last_enqueued_time_utc");
    private static readonly Symbol RetrievalTime = new("runtime_info_retrieval_time_utc");

    private readonly ListenerLink link;
    private readonly PartitionLog log;
    private readonly bool runtimeMetrics;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource closed = new();
    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long startPosition;
    private int credit;
    private int unsettled;

    public ConsumerEndpoint(ListenerLink link, PartitionLog log, long startPosition, bool runtimeMetrics, TimeProvider time)
    {
        this.link = link;
        this.log = log;
        this.startPosition = startPosition;
        this.runtimeMetrics = runtimeMetrics;
        this.time = time;
    }

    public void OnCredit(int delta, Fields? properties, object? state)
    {
        lock (gate)
        {
            credit = delta > 0 ? credit + delta : 0;
        }

        Wake();
    }

    public void OnDispose(Message message, DeliveryState deliveryState, bool settled, object? state)
    {
        // Event Hubs deliveries are not redelivered; a receiver that rejects or releases an event moves on.
        // An outcome means the delivery left the broker's buffers: room for another.
        if (settled && Interlocked.Decrement(ref unsettled) == MaxUnsettled - 1)
        {
            Wake();
        }
    }

    public void Start() => _ = Task.Run(PumpAsync);

    public void Stop()
    {
        if (!closed.IsCancellationRequested)
        {
            closed.Cancel();
            Wake();
        }
    }

    private void Wake()
    {
        var signal = Interlocked.Exchange(ref wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        signal.TrySetResult();
    }

    private async Task PumpAsync()
    {
        using var reader = log.OpenReader(startPosition);
        var batch = new List<StoredEvent>(64);
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var woken = Volatile.Read(ref wake).Task;
                int available;
                lock (gate)
                {
                    available = credit;
                }

                if (!link.SettleOnSend)
                {
                    available = Math.Min(available, MaxUnsettled - Volatile.Read(ref unsettled));
                }

                if (available <= 0)
                {
                    await woken.ConfigureAwait(false);
                    continue;
                }

                batch.Clear();
                reader.Read(batch, Math.Min(available, 256), 4 * 1024 * 1024);
                if (batch.Count == 0)
                {
                    if (link.IsDraining)
                    {
                        link.CompleteDrain();
                        lock (gate)
                        {
                            credit = 0;
                        }

                        continue;
                    }

                    await Task.WhenAny(woken, log.WaitForCommitAsync(reader.Position)).ConfigureAwait(false);
                    continue;
                }

                var metrics = runtimeMetrics ? BuildMetrics() : null;
                foreach (var stored in batch)
                {
                    lock (gate)
                    {
                        credit--;
                    }

                    if (!link.SettleOnSend)
                    {
                        Interlocked.Increment(ref unsettled);
                    }

                    var bytes = metrics is null ? stored.Message : WithDeliveryAnnotations(stored.Message, metrics);
                    link.SendMessage(new Message(), new ByteBuffer(bytes, 0, bytes.Length, bytes.Length));
                }
            }
        }
        catch (AmqpException)
        {
            // The link or connection closed while sending.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            try
            {
                link.Close(TimeSpan.Zero, new Error(ErrorCode.InternalError) { Description = exception.Message });
            }
            catch (AmqpException)
            {
            }
        }
    }

    private byte[] BuildMetrics()
    {
        var state = log.State;
        var annotations = new DeliveryAnnotations();
        annotations.Map[LastSequenceNumber] = state.LastSequenceNumber;
        annotations.Map[LastOffset] = state.LastOffset.ToString(CultureInfo.InvariantCulture);
        annotations.Map[LastEnqueuedTime] = state.LastEnqueuedTimeUtc;
        annotations.Map[RetrievalTime] = time.GetUtcNow().UtcDateTime;
        var buffer = new ByteBuffer(128, true);
        annotations.Encode(buffer);
        return buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();
    }

    private static byte[] WithDeliveryAnnotations(byte[] message, byte[] deliveryAnnotations)
    {
        // Sections must stay in order: header, delivery annotations, message annotations, ...
        var sections = AmqpSections.Scan(message);
        var split = sections.Count > 0 && sections[0].Code == AmqpSections.Header ? sections[0].Length : 0;
        var result = new byte[message.Length + deliveryAnnotations.Length];
        message.AsSpan(0, split).CopyTo(result);
        deliveryAnnotations.CopyTo(result.AsSpan(split));
        message.AsSpan(split).CopyTo(result.AsSpan(split + deliveryAnnotations.Length));
        return result;
    }
}
