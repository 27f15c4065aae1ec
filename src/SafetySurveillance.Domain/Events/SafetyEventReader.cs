using System.Text.Json;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events;

/// <summary>
/// The entry point for incoming safety events: parses a CloudEvent (structured JSON, or the AMQP binary
/// binding), validates its envelope and typed data, and returns either a <see cref="ValidatedSafetyEvent"/>
/// or every problem found. Never throws for bad input. Stateless and thread-safe; no reflection.
/// </summary>
public sealed class SafetyEventReader
{
    private const string StructuredContentType = "application/cloudevents+json";

    /// <summary>The largest payload (structured event, or binary-mode body) accepted: 262,144 bytes (256 KiB).
    /// Gateways can refuse larger request bodies before reading them.</summary>
    public const int MaxPayloadBytes = StrictJson.MaxPayloadBytes;

    private readonly TimeProvider _timeProvider;

    public SafetyEventReader(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Reads a structured-mode event (<c>application/cloudevents+json</c>), e.g. an HTTPS request body.</summary>
    public SafetyEventReadResult Read(ReadOnlyMemory<byte> structuredEvent) => Read(structuredEvent, _timeProvider.GetUtcNow());

    /// <summary>Reads an event from an AMQP message, in structured or binary mode.</summary>
    public SafetyEventReadResult Read(AmqpCloudEventMessage message) => Read(message, _timeProvider.GetUtcNow());

    /// <summary>Reads a structured-mode event, judging dates against <paramref name="now"/>.</summary>
    public static SafetyEventReadResult Read(ReadOnlyMemory<byte> structuredEvent, DateTimeOffset now)
    {
        var context = new ReadContext(now);
        try
        {
            return ReadStructured(structuredEvent, context);
        }
#pragma warning disable CA1031 // Bad input must never escape as an exception; an unforeseen one becomes a problem.
        catch (Exception exception) when (exception is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Unexpected(context, exception);
        }
    }

    /// <summary>Reads an event from an AMQP message, judging dates against <paramref name="now"/>.</summary>
    public static SafetyEventReadResult Read(AmqpCloudEventMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = new ReadContext(now);
        try
        {
            return ReadAmqp(message, context);
        }
#pragma warning disable CA1031 // Bad input must never escape as an exception; an unforeseen one becomes a problem.
        catch (Exception exception) when (exception is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Unexpected(context, exception);
        }
    }

    private static SafetyEventReadResult ReadStructured(ReadOnlyMemory<byte> payload, ReadContext context)
    {
        using var document = StrictJson.ParseObject(payload, JsonPath.Root, context.Problems);
        if (document is null)
        {
            return Reject(context, null);
        }

        var raw = StructuredEnvelope.Read(document.RootElement, context, out var data);
        return Finish(raw, CloudEventMode.Structured, data, dataPresent: data is { ValueKind: not JsonValueKind.Null }, context);
    }

    private static SafetyEventReadResult ReadAmqp(AmqpCloudEventMessage message, ReadContext context)
    {
        var properties = message.ApplicationProperties ?? new Dictionary<string, object?>();
        var contentType = message.ContentType;
        string essence = string.Empty;
        string? charset = null;
        var hasContentType = contentType is not null && MediaType.TryParse(contentType, out essence, out charset);
        if (contentType is not null && !hasContentType)
        {
            context.Add("content-type", $"{Echo.Quoted(contentType)} is not a media type (RFC 2046)");
            return Reject(context, null);
        }

        if (hasContentType && essence.StartsWith("application/cloudevents", StringComparison.Ordinal))
        {
            if (essence != StructuredContentType || !MediaType.IsUtf8(charset))
            {
                context.Add("content-type", $"{Echo.Quoted(contentType!)} is not supported; structured events must be '{StructuredContentType}' (UTF-8), one event per message");
                return Reject(context, null);
            }

            return ReadStructured(message.Body, context);
        }

        if (!AmqpBinaryEnvelope.HasAttributes(properties) && (!hasContentType || essence == "application/json"))
        {
            // No CloudEvents application properties: the body is taken to be a structured event, as sent by
            // Event Hubs clients that do not set a content-type.
            return ReadStructured(message.Body, context);
        }

        var raw = AmqpBinaryEnvelope.Read(message with { ApplicationProperties = properties }, context);
        using var document = StrictJson.ParseObject(message.Body, "data", context.Problems);
        return Finish(raw, CloudEventMode.AmqpBinary, document?.RootElement, dataPresent: true, context);
    }

    private static SafetyEventReadResult Finish(RawAttributes raw, CloudEventMode mode, JsonElement? data, bool dataPresent, ReadContext context)
    {
        var attributes = CloudEventRules.Validate(raw, mode, context, out var eventType);

        ValidatedSafetyEvent? validated = null;
        if (!dataPresent)
        {
            context.Add("data", "is required and must be a JSON object");
        }
        else if (data is { } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                context.Add("data", $"must be a JSON object, not {JsonFields.Describe(element.ValueKind)}");
            }
            else if (eventType is { } type)
            {
                validated = ReadData(type, element, attributes, context);
            }
        }

        if (context.Problems.IsEmpty && validated is not null)
        {
            return SafetyEventReadResult.Valid(validated);
        }

        return Reject(context, raw);
    }

    private static ValidatedSafetyEvent? ReadData(SafetyEventType type, JsonElement data, CloudEventAttributes? attributes, ReadContext context)
    {
        switch (type)
        {
            case SafetyEventType.ProcedurePerformed:
                {
                    var read = ProcedurePerformedReader.Read(data, "data", context);
                    return read is { } p && attributes is not null ? new ValidatedProcedurePerformed(attributes, p.Procedure, p.NhsNumber) : null;
                }

            case SafetyEventType.OutcomeReported:
                {
                    var read = OutcomeReportedReader.Read(data, "data", context);
                    return read is not null && attributes is not null ? new ValidatedOutcomeReported(attributes, read) : null;
                }

            case SafetyEventType.AdverseEventReported:
                {
                    var read = AdverseEventReportedReader.Read(data, "data", context);
                    return read is not null && attributes is not null ? new ValidatedAdverseEventReported(attributes, read) : null;
                }

            default:
                context.Add("type", "is not a supported event type");
                return null;
        }
    }

    private static SafetyEventReadResult Reject(ReadContext context, RawAttributes? raw)
    {
        var id = raw?.Id is { } candidateId && CloudEventRules.IsValidId(candidateId) ? candidateId : null;
        var source = raw?.Source is { } candidateSource && OdsCode.TryParseSource(candidateSource, out _, out _) ? candidateSource : null;
        var problems = context.Problems.ToReadOnlyList();
        if (problems.Count == 0)
        {
            problems = [new ValidationProblem(JsonPath.Root, "the event was not accepted")];
        }

        return SafetyEventReadResult.Invalid(problems, id, source);
    }

    private static SafetyEventReadResult Unexpected(ReadContext context, Exception exception)
    {
        context.Add(JsonPath.Root, $"could not be read ({exception.GetType().Name}); the event was rejected");
        return Reject(context, null);
    }
}
