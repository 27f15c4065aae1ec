using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Broker;
using SafetySurveillance.EventHubs.Emulator.Protocol;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator.Publishing;

/// <summary>
/// Receives sends on a hub, partition or publisher link, appends each transfer to one partition, and settles
/// it <c>accepted</c> only once the append is written per the flush mode (or <c>rejected</c> with an error).
/// A send to the hub goes to the partition its key hashes to, or round robin without a key; a send to a
/// publisher endpoint uses the publisher name as the key when none is given, and every stored event carries
/// the publisher in <c>x-opt-publisher</c>.
/// </summary>
internal sealed class PublisherEndpoint
{
    public static readonly Symbol MessageSizeExceeded = new("amqp:link:message-size-exceeded");

    private readonly EventHub hub;
    private readonly EntityAddress address;
    private readonly PartitionLog? partition;
    private readonly int maxMessageSize;

    public PublisherEndpoint(EventHub hub, EntityAddress address, PartitionLog? partition, int maxMessageSize)
    {
        this.hub = hub;
        this.address = address;
        this.partition = partition;
        this.maxMessageSize = maxMessageSize;
    }

    public void OnMessage(ListenerLink link, Message message, DeliveryState deliveryState, object? state)
    {
        var raw = (RawMessage)message;
        if (raw.Bytes.Length > maxMessageSize)
        {
            Reject(link, message, new Error(MessageSizeExceeded)
            {
                Description = $"The received message (size: {raw.Bytes.Length} bytes) exceeds the limit ({maxMessageSize} bytes) currently allowed on the link.",
            });
            return;
        }

        IReadOnlyList<IncomingEvent> events;
        string? partitionKey;
        try
        {
            events = IncomingEvent.Parse(raw.Bytes, message.Format, out partitionKey);
        }
        catch (Exception exception) when (exception is FormatException or AmqpException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            Reject(link, message, new Error(ErrorCode.DecodeError) { Description = $"The message could not be decoded: {exception.Message}" });
            return;
        }

        if (partitionKey is { Length: > 128 })
        {
            Reject(link, message, new Error(new Symbol("com.microsoft:argument-out-of-range"))
            {
                Description = "The partition key is longer than 128 characters.",
            });
            return;
        }

        var publisher = address.Kind == EntityKind.Publisher ? address.Publisher : null;
        var target = partition ?? hub.Route(partitionKey ?? publisher);
        var append = target.AppendAsync(events, partitionKey, publisher);
        _ = append.ContinueWith(
            (task, _) =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    Settle(link, message, new Accepted());
                }
                else
                {
                    Reject(link, message, new Error(ErrorCode.InternalError)
                    {
                        Description = $"The event could not be stored: {task.Exception?.GetBaseException().Message}",
                    });
                }
            },
            null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void Reject(ListenerLink link, Message message, Error error) => Settle(link, message, new Rejected { Error = error });

    private static void Settle(ListenerLink link, Message message, DeliveryState outcome)
    {
        try
        {
            link.DisposeMessage(message, outcome, true);
        }
        catch (AmqpException)
        {
            // The link closed before the append finished; the producer will not see this outcome.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
