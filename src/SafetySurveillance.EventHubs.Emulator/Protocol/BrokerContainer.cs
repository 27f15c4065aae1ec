using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Broker;
using SafetySurveillance.EventHubs.Emulator.Consuming;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Emulator.Security;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>
/// The AMQP side of the broker: AMQPNetLite's listener calls it for every message and link attach. It routes
/// <c>$cbs</c> and <c>$management</c> to request handlers (handled here, not with <c>RegisterRequestProcessor</c>,
/// whose reply-link lookup breaks on the JS SDK's address-less <c>$cbs</c> target), sender links to
/// <see cref="PublisherEndpoint"/> and receiver links to <see cref="ConsumerEndpoint"/>.
/// </summary>
internal sealed class BrokerContainer : IContainer
{
    public const string CbsAddress = "$cbs";
    public const string ManagementAddress = "$management";

    private static readonly Symbol EpochProperty = new("com.microsoft:epoch");
    private static readonly Symbol ReceiverNameProperty = new("com.microsoft:receiver-name");

    private readonly EventHubsNamespace ns;
    private readonly SasAuthorizer authorizer;
    private readonly RequestHandlers requests;
    private readonly int maxMessageSize;

    public BrokerContainer(EventHubsNamespace ns, SasAuthorizer authorizer, int maxMessageSize)
    {
        this.ns = ns;
        this.authorizer = authorizer;
        this.maxMessageSize = maxMessageSize;
        requests = new RequestHandlers(ns, authorizer);
    }

    public X509Certificate2 ServiceCertificate => throw new NotSupportedException("The emulator speaks plain AMQP.");

    public IDictionary<string, TransportProvider> CustomTransports { get; } = new Dictionary<string, TransportProvider>(StringComparer.OrdinalIgnoreCase);

    public Message CreateMessage(ByteBuffer buffer) => new RawMessage(buffer);

    public Link CreateLink(ListenerConnection connection, ListenerSession session, Attach attach) => new ListenerLink(session, attach);

    public bool AttachLink(ListenerConnection connection, ListenerSession session, Link link, Attach attach)
    {
        var listenerLink = (ListenerLink)link;
        var context = ConnectionContext.Of(connection);
        var address = attach.Role ? (attach.Source as Source)?.Address : (attach.Target as Target)?.Address;
        var desired = attach.DesiredCapabilities ?? [];
        attach.DesiredCapabilities = null;
        attach.OfferedCapabilities = null;

        if (address is CbsAddress or ManagementAddress)
        {
            AttachRequestResponse(listenerLink, attach, context, address);
            return true;
        }

        if (!EntityAddress.TryParse(address, out var entity))
        {
            throw NotFound(address ?? "(none)");
        }

        var hub = ns.FindHub(entity.Hub) ?? throw NotFound(entity.Hub);
        if (!attach.Role)
        {
            AttachPublisher(listenerLink, attach, context, hub, entity);
        }
        else
        {
            AttachConsumer(listenerLink, attach, context, hub, entity, desired);
        }

        return true;
    }

    private AmqpException NotFound(string entity) => new(new Error(ErrorCode.NotFound)
    {
        Description = $"The messaging entity 'sb://{ns.Name}/{entity}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.",
    });

    private static AmqpException Unauthorized(string entity, string right) => new(new Error(ErrorCode.UnauthorizedAccess)
    {
        Description = $"Unauthorized access. '{right}' claim(s) are required to perform this operation. Resource: '{entity}'.",
    });

    private void AttachRequestResponse(ListenerLink link, Attach attach, ConnectionContext context, string address)
    {
        attach.MaxMessageSize = (ulong)maxMessageSize;
        if (attach.Role)
        {
            // The peer receives responses on this link.
            var key = (attach.Target as Target)?.Address ?? attach.LinkName;
            var reply = new ReplyLink(link);
            context.ReplyLinks[key] = reply;
            link.Closed += (_, _) => context.ReplyLinks.TryRemove(new KeyValuePair<string, ReplyLink>(key, reply));
            return;
        }

        link.InitializeReceiver(100, (requestLink, message, _, _) =>
        {
            requestLink.DisposeMessage(message, new Accepted(), true);
            var request = ((RawMessage)message).Decode();
            var response = address == CbsAddress ? requests.PutToken(request, context) : requests.Management(request);
            response.Properties = new Properties { CorrelationId = request.Properties?.MessageId };
            var replyTo = request.Properties?.ReplyTo;
            if (replyTo is not null && context.ReplyLinks.TryGetValue(replyTo, out var replyLink))
            {
                replyLink.Send(response);
            }
        }, null);
    }

    private void AttachPublisher(ListenerLink link, Attach attach, ConnectionContext context, EventHub hub, EntityAddress entity)
    {
        if (entity.Kind == EntityKind.ConsumerPartition)
        {
            throw new AmqpException(ErrorCode.NotAllowed, $"Cannot send to '{entity.Path}'.");
        }

        var partition = entity.Kind == EntityKind.Partition
            ? hub.FindPartition(entity.PartitionId) ?? throw OutOfRange(hub, entity.PartitionId)
            : null;
        if (authorizer.Enabled && !context.Allows(entity.Path, AccessRights.Send, authorizer.Time.GetUtcNow()))
        {
            throw Unauthorized(entity.Path, "Send");
        }

        attach.MaxMessageSize = (ulong)maxMessageSize;
        var endpoint = new PublisherEndpoint(hub, entity, partition, maxMessageSize);
        link.InitializeReceiver(500, endpoint.OnMessage, null);
    }

    private void AttachConsumer(ListenerLink link, Attach attach, ConnectionContext context, EventHub hub, EntityAddress entity, Symbol[] desired)
    {
        if (entity.Kind != EntityKind.ConsumerPartition)
        {
            throw new AmqpException(ErrorCode.NotAllowed, $"Cannot receive from '{entity.Path}'; receive from '<hub>/ConsumerGroups/<group>/Partitions/<id>'.");
        }

        if (!hub.HasConsumerGroup(entity.ConsumerGroup!))
        {
            throw NotFound($"{hub.Name}/ConsumerGroups/{entity.ConsumerGroup}");
        }

        var log = hub.FindPartition(entity.PartitionId) ?? throw OutOfRange(hub, entity.PartitionId);
        if (authorizer.Enabled && !context.Allows(entity.Path, AccessRights.Listen, authorizer.Time.GetUtcNow()))
        {
            throw Unauthorized(entity.Path, "Listen");
        }

        EventPositionFilter filter;
        try
        {
            filter = EventPositionFilter.FromSource(attach.Source as Source);
        }
        catch (FormatException exception)
        {
            throw new AmqpException(new Error(new Symbol("com.microsoft:argument-error")) { Description = exception.Message });
        }

        long? epoch = attach.Properties is { } properties && properties.TryGetValue(EpochProperty, out var value) && value is not null
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var name = attach.Properties?.TryGetValue(ReceiverNameProperty, out var receiverName) == true ? receiverName as string ?? link.Name : link.Name;
        var evicted = hub.Receivers.Admit(entity.ConsumerGroup!, log.PartitionId, new ActiveReceiver(link, epoch, name));
        foreach (var victim in evicted)
        {
            var description = epoch is null
                ? $"New receiver '{name}' is created hence current receiver '{victim.Name}' is getting disconnected."
                : $"New receiver '{name}' with higher epoch of '{epoch}' is created hence current receiver '{victim.Name}' with epoch '{victim.Epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}' is getting disconnected. If you are recreating the receiver, make sure a higher epoch is used.";
            _ = Task.Run(() =>
            {
                try
                {
                    victim.Link.Close(TimeSpan.Zero, new Error(ReceiverRegistry.Stolen) { Description = description });
                }
                catch (AmqpException)
                {
                }
            });
        }

        var metrics = desired.Contains(ConsumerEndpoint.RuntimeMetricCapability);
        if (metrics)
        {
            attach.OfferedCapabilities = [ConsumerEndpoint.RuntimeMetricCapability];
        }

        var endpoint = new ConsumerEndpoint(link, log, filter.Resolve(log), metrics, authorizer.Time);
        link.Closed += (_, _) =>
        {
            endpoint.Stop();
            hub.Receivers.Remove(entity.ConsumerGroup!, log.PartitionId, link);
        };
        link.InitializeSender(endpoint.OnCredit, endpoint.OnDispose, null);
        endpoint.Start();
    }

    private static AmqpException OutOfRange(EventHub hub, string? partitionId) => new(new Error(new Symbol("com.microsoft:argument-out-of-range"))
    {
        Description = $"The specified partition '{partitionId}' is invalid for event hub '{hub.Name}'. It must be one of: {string.Join(", ", hub.PartitionIds)}.",
    });
}
