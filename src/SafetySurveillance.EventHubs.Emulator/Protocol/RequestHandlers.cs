using Amqp;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Broker;
using SafetySurveillance.EventHubs.Emulator.Security;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>
/// The request/response nodes: <c>$cbs</c> put-token and <c>$management</c> READ of hub and partition
/// properties. Responses carry <c>status-code</c> as an AMQP int (the .NET SDK reads it as one) and
/// <c>status-description</c>; errors also carry <c>error-condition</c>.
/// </summary>
internal sealed class RequestHandlers
{
    private const string StatusCode = "status-code";
    private const string StatusDescription = "status-description";
    private const string ErrorCondition = "error-condition";

    private readonly EventHubsNamespace ns;
    private readonly SasAuthorizer authorizer;

    public RequestHandlers(EventHubsNamespace ns, SasAuthorizer authorizer)
    {
        this.ns = ns;
        this.authorizer = authorizer;
    }

    /// <summary>Handles <c>put-token</c>: with no policies every token is accepted; otherwise it is verified and its claim kept on the connection.</summary>
    public Message PutToken(Message request, ConnectionContext context)
    {
        var properties = request.ApplicationProperties;
        var operation = properties?["operation"] as string;
        if (operation != "put-token")
        {
            return Status(400, $"The operation '{operation}' is not supported by $cbs.", "com.microsoft:argument-error");
        }

        var audience = properties?["name"] as string;
        var type = properties?["type"] as string;
        var token = request.Body as string;
        if (!authorizer.Enabled)
        {
            return Status(202, "Accepted");
        }

        if (type != "servicebus.windows.net:sastoken")
        {
            return Status(401, $"Token type '{type}' is not accepted: this emulator verifies shared access signatures only.", "amqp:unauthorized-access");
        }

        var check = authorizer.Check(token, audience);
        if (!check.IsValid)
        {
            return Status(401, $"InvalidSignature: {check.Error}", "amqp:unauthorized-access");
        }

        context.AddClaim(check.Claim!);
        return Status(202, "Accepted");
    }

    /// <summary>Handles a <c>$management</c> READ of <c>com.microsoft:eventhub</c> or <c>com.microsoft:partition</c>.</summary>
    public Message Management(Message request)
    {
        var properties = request.ApplicationProperties;
        var operation = properties?["operation"] as string;
        var type = properties?["type"] as string;
        var name = properties?["name"] as string;
        if (operation != "READ")
        {
            return Status(400, $"The management operation '{operation}' is not supported by the emulator.", "com.microsoft:argument-error");
        }

        if (authorizer.Enabled)
        {
            var check = authorizer.Check(properties?["security_token"] as string, name);
            if (!check.IsValid)
            {
                return Status(401, $"Unauthorized: {check.Error}", "amqp:unauthorized-access");
            }
        }

        var hub = name is null ? null : ns.FindHub(name);
        if (hub is null)
        {
            return Status(404, $"The messaging entity 'sb://{ns.Name}/{name}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.", "amqp:not-found");
        }

        if (type == "com.microsoft:eventhub")
        {
            var response = Status(200, "OK");
            response.BodySection = new AmqpValue
            {
                Value = new Map
                {
                    ["name"] = hub.Name,
                    ["type"] = type,
                    ["created_at"] = hub.CreatedAt,
                    ["partition_count"] = hub.PartitionIds.Length,
                    ["partition_ids"] = hub.PartitionIds,
                },
            };
            return response;
        }

        if (type == "com.microsoft:partition")
        {
            var partitionId = properties?["partition"] as string;
            var log = hub.FindPartition(partitionId);
            if (log is null)
            {
                return Status(400, $"The specified partition '{partitionId}' is invalid for event hub '{hub.Name}'.", "com.microsoft:argument-out-of-range");
            }

            var state = log.State;
            var response = Status(200, "OK");
            response.BodySection = new AmqpValue
            {
                Value = new Map
                {
                    ["name"] = hub.Name,
                    ["type"] = type,
                    ["partition"] = log.PartitionId,
                    ["begin_sequence_number"] = state.BeginSequenceNumber,
                    ["last_enqueued_sequence_number"] = state.LastSequenceNumber,
                    ["last_enqueued_offset"] = state.LastOffset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["last_enqueued_time_utc"] = state.LastEnqueuedTimeUtc,
                    ["is_partition_empty"] = state.IsEmpty,
                    ["runtime_info_retrieval_time_utc"] = authorizer.Time.GetUtcNow().UtcDateTime,
                },
            };
            return response;
        }

        return Status(400, $"The management type '{type}' is not supported.", "com.microsoft:argument-error");
    }

    private static Message Status(int code, string description, string? condition = null)
    {
        var message = new Message
        {
            ApplicationProperties = new ApplicationProperties
            {
                [StatusCode] = code,
                [StatusDescription] = description,
            },
        };
        if (condition is not null)
        {
            message.ApplicationProperties[ErrorCondition] = new Symbol(condition);
        }

        return message;
    }
}
