using System.Globalization;
using System.Threading.Channels;
using Amqp;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Diagnostics;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>
/// Reads one partition of one consumer group over a receiver link. Deliveries are buffered up to the prefetch
/// count (link credit is returned as the reader takes events). When the link or connection fails transiently the
/// link is re-opened with back-off from just after the last buffered event, so the reader sees no gap and no
/// duplicate; a stolen link (owner level), a missing entity or exhausted retries surface as <see cref="EventHubsException"/>.
/// One reader at a time.
/// </summary>
internal sealed class AmqpPartitionConsumer : IAsyncDisposable
{
    private static readonly Symbol SelectorFilter = new("apache.org:selector-filter:string");
    private static readonly Symbol EpochProperty = new("com.microsoft:epoch");
    private static readonly Symbol ReceiverNameProperty = new("com.microsoft:receiver-name");
    private static readonly Symbol EntityTypeProperty = new("com.microsoft:entity-type");
    private static readonly Symbol RuntimeMetricCapability = new("com.microsoft:enable-receiver-runtime-metric");

    private readonly Channel<Delivery> buffer = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim readGate = new(1, 1);
    private readonly Lock sync = new();
    private readonly AmqpConnectionScope scope;
    private readonly ReadEventOptions options;
    private readonly EventHubsRetryOptions retry;
    private readonly string identifier;
    private readonly EventPosition startingPosition;
    private ReceiverLink? link;
    private long? lastBufferedSequenceNumber;
    private LastEnqueuedEventProperties lastEnqueued;
    private Exception? pendingFailure;
    private int failures;
    private bool closed;

    public AmqpPartitionConsumer(
        AmqpConnectionScope scope,
        string consumerGroup,
        string partitionId,
        EventPosition startingPosition,
        ReadEventOptions options,
        EventHubsRetryOptions retry,
        string identifier)
    {
        this.scope = scope;
        ConsumerGroup = consumerGroup;
        PartitionId = partitionId;
        this.startingPosition = startingPosition;
        this.options = options.Clone();
        this.retry = retry;
        this.identifier = identifier;
        EntityPath = $"{scope.EventHubName}/ConsumerGroups/{consumerGroup}/Partitions/{partitionId}";
    }

    public string ConsumerGroup { get; }

    public string PartitionId { get; }

    public string EntityPath { get; }

    /// <summary>How many times the link has been opened; more than one means it was recovered.</summary>
    public int LinksOpened { get; private set; }

    public LastEnqueuedEventProperties LastEnqueued
    {
        get
        {
            lock (sync)
            {
                return lastEnqueued;
            }
        }
    }

    /// <summary>The position a (re)opened link starts from: after the last buffered event, else the starting position.</summary>
    public EventPosition CurrentPosition
    {
        get
        {
            lock (sync)
            {
                return lastBufferedSequenceNumber is { } sequence ? EventPosition.FromSequenceNumber(sequence, isInclusive: false) : startingPosition;
            }
        }
    }

    /// <summary>Waits up to <paramref name="maximumWaitTime"/> (forever when null) for the first event, then takes what is buffered, up to <paramref name="maximumEventCount"/>.</summary>
    public async Task<IReadOnlyList<EventData>> ReceiveAsync(int maximumEventCount, TimeSpan? maximumWaitTime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumEventCount, 1);
        await readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var results = new List<EventData>();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (maximumWaitTime is { } time && time != Timeout.InfiniteTimeSpan)
            {
                wait.CancelAfter(time);
            }

            while (results.Count == 0)
            {
                ThrowPendingFailure();
                await EnsureLinkAsync(cancellationToken).ConfigureAwait(false);
                if (!buffer.Reader.TryRead(out var delivery))
                {
                    try
                    {
                        await buffer.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return results;
                    }

                    continue;
                }

                if (!Take(delivery, results))
                {
                    continue;
                }
            }

            while (results.Count < maximumEventCount && pendingFailure is null && buffer.Reader.TryRead(out var more))
            {
                Take(more, results);
            }

            EventHubsDiagnostics.EventsReceived.Add(results.Count, EventHubsDiagnostics.Hub(scope.EventHubName));
            return results;
        }
        finally
        {
            readGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReceiverLink? current;
        lock (sync)
        {
            closed = true;
            current = link;
            link = null;
        }

        if (current is not null)
        {
            await AmqpClose.QuietlyAsync(current.Session).ConfigureAwait(false);
        }

        buffer.Writer.TryComplete();
    }

    internal Attach BuildAttach(EventPosition position)
    {
        var filter = new Map { [SelectorFilter] = new DescribedValue(SelectorFilter, position.ToFilterExpression()) };
        var properties = new Fields
        {
            [EntityTypeProperty] = 8,
            [ReceiverNameProperty] = identifier,
        };
        if (options.OwnerLevel is { } ownerLevel)
        {
            properties[EpochProperty] = ownerLevel;
        }

        return new Attach
        {
            Source = new Source { Address = EntityPath, FilterSet = filter },
            Target = new Target { Address = Guid.NewGuid().ToString() },
            SndSettleMode = SenderSettleMode.Settled,
            RcvSettleMode = ReceiverSettleMode.First,
            Properties = properties,
            DesiredCapabilities = options.TrackLastEnqueuedEventProperties ? [RuntimeMetricCapability] : null,
        };
    }

    private bool Take(Delivery delivery, List<EventData> results)
    {
        if (delivery.Event is null)
        {
            lock (sync)
            {
                if (!ReferenceEquals(delivery.Link, link))
                {
                    return false;
                }

                link = null;
            }

            var failure = AmqpErrors.FromError(delivery.Error, scope.EventHubName, $"receive from {EntityPath}");
            if (!failure.IsTransient)
            {
                pendingFailure = failure;
                if (results.Count == 0)
                {
                    ThrowPendingFailure();
                }
            }
            else
            {
                failures++;
                if (failures > retry.MaximumRetries)
                {
                    pendingFailure = failure;
                    if (results.Count == 0)
                    {
                        ThrowPendingFailure();
                    }
                }
            }

            return false;
        }

        failures = 0;
        if (!delivery.Link.IsClosed)
        {
            try
            {
                delivery.Link.Accept(delivery.Message);
            }
            catch (Exception exception) when (exception is AmqpException or InvalidOperationException or ObjectDisposedException)
            {
                // The link closed under us; credit no longer matters.
            }
        }

        results.Add(delivery.Event);
        return true;
    }

    private void ThrowPendingFailure()
    {
        if (pendingFailure is { } failure)
        {
            throw failure;
        }
    }

    private async Task EnsureLinkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (sync)
            {
                if (closed)
                {
                    throw new EventHubsException(false, scope.EventHubName, "The consumer has been closed.", EventHubsException.FailureReason.ClientClosed);
                }

                if (link is not null)
                {
                    return;
                }
            }

            if (failures > 0)
            {
                await Task.Delay(retry.CalculateDelay(failures), scope.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var opened = await scope.OpenReceiverAsync(EntityPath, BuildAttach(CurrentPosition), retry.TryTimeout, cancellationToken).ConfigureAwait(false);
                lock (sync)
                {
                    if (closed)
                    {
                        opened.Close(TimeSpan.Zero);
                        continue;
                    }

                    link = opened;
                    LinksOpened++;
                    if (LinksOpened > 1)
                    {
                        EventHubsDiagnostics.LinkRecoveries.Add(1, EventHubsDiagnostics.Hub(scope.EventHubName));
                    }
                }

                opened.AddClosedCallback((_, error) => buffer.Writer.TryWrite(new Delivery(opened, null, null, error)));
                opened.Start(Math.Max(1, options.PrefetchCount), OnMessage);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var translated = AmqpErrors.Translate(exception, scope.EventHubName, $"open receiver {EntityPath}");
                if (translated is not EventHubsException { IsTransient: true } || ++failures > retry.MaximumRetries)
                {
                    throw translated;
                }
            }
        }
    }

    private void OnMessage(IReceiverLink receiver, Message message)
    {
        var eventData = AmqpEventConverter.FromMessage(message);
        lock (sync)
        {
            if (eventData.SequenceNumber != long.MinValue)
            {
                lastBufferedSequenceNumber = eventData.SequenceNumber;
            }

            if (message.DeliveryAnnotations?.Map is { } annotations && annotations.Count > 0)
            {
                lastEnqueued = new LastEnqueuedEventProperties(
                    annotations[new Symbol("last_enqueued_sequence_number")] is { } sequence ? Convert.ToInt64(sequence, CultureInfo.InvariantCulture) : null,
                    annotations[new Symbol("last_enqueued_offset")]?.ToString(),
                    annotations[new Symbol("last_enqueued_time_utc")] is DateTime enqueued ? new DateTimeOffset(DateTime.SpecifyKind(enqueued, DateTimeKind.Utc)) : null,
                    annotations[new Symbol("runtime_info_retrieval_time_utc")] is DateTime retrieved ? new DateTimeOffset(DateTime.SpecifyKind(retrieved, DateTimeKind.Utc)) : scope.TimeProvider.GetUtcNow());
            }
        }

        buffer.Writer.TryWrite(new Delivery((ReceiverLink)receiver, message, eventData, null));
    }

    private sealed record Delivery(ReceiverLink Link, Message? Message, EventData? Event, Error? Error);
}
