using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Validation;
using SafetySurveillance.EventHubs;
using SafetySurveillance.Storage.Trusts;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>
/// The HTTPS gateway's logic, independent of the invocation envelope: checks the route's ODS code and the trust key,
/// splits the body into events, judges each with the same <see cref="SafetyEventReader"/> the ingest function uses
/// plus the rule that <c>source</c> is <c>/trusts/{ods}</c> of the route, forwards the accepted events through the
/// trust's publisher endpoint, and keeps the rejected ones in dead letters. See docs/gateway.md for the answers.
/// </summary>
public sealed partial class TrustEventGateway
{
    private readonly TrustDirectory _trusts;
    private readonly HubForwarder _forwarder;
    private readonly GatewayDeadLetters _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger<TrustEventGateway> _logger;

    /// <summary>Creates the gateway.</summary>
    public TrustEventGateway(TrustDirectory trusts, HubForwarder forwarder, GatewayDeadLetters deadLetters, TimeProvider time, ILogger<TrustEventGateway> logger)
    {
        _trusts = trusts ?? throw new ArgumentNullException(nameof(trusts));
        _forwarder = forwarder ?? throw new ArgumentNullException(nameof(forwarder));
        _deadLetters = deadLetters ?? throw new ArgumentNullException(nameof(deadLetters));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Handles one <c>POST /api/trusts/{ods}/events</c>.</summary>
    public async Task<GatewayAnswer> SubmitAsync(HttpRequestData request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ods = RouteValue(request, "ods");
        if (ods is null || !OdsCode.IsValid(ods))
        {
            return GatewayAnswer.Error(400, "invalid_ods_code", "The route must name a trust by its ODS code: 3-5 upper-case letters or digits, e.g. /api/trusts/RJ1/events.");
        }

        try
        {
            return await SubmitAsTrustAsync(request, ods, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception)
        {
            LogUnavailable(_logger, "storage", ods, exception);
            return Unavailable("storage");
        }
    }

    private async Task<GatewayAnswer> SubmitAsTrustAsync(HttpRequestData request, string ods, CancellationToken cancellationToken)
    {
        var key = TrustKeyHeader.Read(request);
        var verdict = key is null ? TrustKeyVerdict.Rejected : await _trusts.VerifyKeyAsync(ods, key, cancellationToken).ConfigureAwait(false);
        if (verdict == TrustKeyVerdict.Rejected)
        {
            // The same answer for an unknown trust, a missing key and a wrong key.
            return GatewayAnswer.Error(
                401,
                "unauthorized",
                $"Send the trust's gateway key in the '{TrustKeyHeader.HeaderName}' header or as 'Authorization: {TrustKeyHeader.Scheme} <key>'.",
                headers: new Dictionary<string, string> { ["WWW-Authenticate"] = TrustKeyHeader.Scheme },
                log: "SubmitEvents: 401 key missing or not accepted");
        }

        if (!SubmissionMediaTypes.TryParse(TrustKeyHeader.HeaderValue(request, "Content-Type"), out var mediaType))
        {
            return GatewayAnswer.Error(
                415,
                "unsupported_media_type",
                $"Send one structured CloudEvent as '{SubmissionMediaTypes.Single}' or a JSON array of them as '{SubmissionMediaTypes.Batch}' (UTF-8).");
        }

        var text = request.Body ?? string.Empty;
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > SubmissionLimits.MaxBodyBytes)
        {
            return GatewayAnswer.Error(413, "payload_too_large", $"The body is {size} bytes; at most {SubmissionLimits.MaxBodyBytes} bytes (1 MiB) are accepted per request. Split the events over several requests.");
        }

        if (size == 0)
        {
            // The Functions host passes a body on only when the request has a Content-Length (not for chunked bodies).
            return GatewayAnswer.Error(400, "empty_body", "The request has no body. Send the events with a Content-Length header; chunked request bodies are not passed on.");
        }

        var body = Encoding.UTF8.GetBytes(text);
        var receivedAt = _time.GetUtcNow();
        var split = SubmissionBody.Split(mediaType, body);
        if (split.Problem == SubmissionProblem.TooManyEvents)
        {
            return GatewayAnswer.Error(413, "too_many_events", $"The batch holds more than {SubmissionLimits.MaxEvents} events; split it over several requests.");
        }

        if (split.Problem != SubmissionProblem.None)
        {
            // The trust is authenticated, so what it sent is kept even when it cannot be split into events.
            var problems = new[] { new ValidationProblem("$", split.Reason!) };
            var letter = new DeadLetter(ods, GatewayDeadLetters.GatewayPartition, SequenceBase(), receivedAt, null, null, problems, body);
            await _deadLetters.AddAsync([letter], cancellationToken).ConfigureAwait(false);
            var code = split.Problem == SubmissionProblem.MalformedJson ? "malformed_json" : "invalid_batch";
            return GatewayAnswer.Error(400, code, $"The request body {split.Reason}.", problems);
        }

        return await JudgeAndRouteAsync(ods, split.Segments, receivedAt, verdict, cancellationToken).ConfigureAwait(false);
    }

    private async Task<GatewayAnswer> JudgeAndRouteAsync(string ods, IReadOnlyList<ReadOnlyMemory<byte>> segments, DateTimeOffset receivedAt, TrustKeyVerdict keyVerdict, CancellationToken cancellationToken)
    {
        var expectedSource = OdsCode.SourcePrefix + ods;
        var verdicts = new List<EventVerdict>(segments.Count);
        var accepted = new List<ReadOnlyMemory<byte>>(segments.Count);
        var rejected = new List<DeadLetter>();
        var sequenceBase = SequenceBase();
        for (var index = 0; index < segments.Count; index++)
        {
            var result = SafetyEventReader.Read(segments[index], receivedAt);
            var problems = result.Problems.ToList();
            var source = result.Event?.Envelope.Source ?? result.Source;
            if (source is not null && !string.Equals(source, expectedSource, StringComparison.Ordinal))
            {
                problems.Add(new ValidationProblem("source", $"'{source}' is not the trust this request was authenticated as; events sent to /api/trusts/{ods}/events must have source '{expectedSource}'"));
            }

            var id = result.Event?.Envelope.Id ?? result.Id;
            if (result.IsValid && problems.Count == 0)
            {
                accepted.Add(segments[index]);
                verdicts.Add(new EventVerdict(index, id, true, []));
                continue;
            }

            verdicts.Add(new EventVerdict(index, id, false, problems));
            rejected.Add(new DeadLetter(ods, GatewayDeadLetters.GatewayPartition, sequenceBase + index, receivedAt, id, result.Event?.Envelope.Type, problems, segments[index]));
        }

        var forwarding = _forwarder.ForwardAsync(ods, accepted, cancellationToken);
        var keeping = _deadLetters.AddAsync(rejected, cancellationToken);
        try
        {
            await forwarding.ConfigureAwait(false);
        }
        catch (EventHubsException exception) when (exception.Reason == EventHubsException.FailureReason.MessageSizeExceeded)
        {
            await keeping.ConfigureAwait(false);
            return GatewayAnswer.Error(413, "event_too_large", "An event is larger than the hub accepts (1 MiB including its envelope). Retry without it; events already accepted are de-duplicated by id.");
        }
        catch (Exception exception) when (exception is EventHubsException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_logger, "hub", ods, exception);
            await keeping.ConfigureAwait(false);
            return Unavailable("event hub");
        }

        await keeping.ConfigureAwait(false);
        var note = keyVerdict == TrustKeyVerdict.Previous ? " (previous key: the trust should move to its current key)" : string.Empty;
        return GatewayAnswer.ForEvents(ods, verdicts, $"SubmitEvents: {ods} accepted {accepted.Count}, rejected {rejected.Count}{note}");
    }

    private static GatewayAnswer Unavailable(string what) => GatewayAnswer.Error(
        503,
        "unavailable",
        $"The {what} is not available; nothing is lost on our side. Retry the whole request later: events already forwarded are de-duplicated by id.",
        headers: new Dictionary<string, string> { ["Retry-After"] = "5" });

    /// <summary>
    /// Gateway dead letters have no Event Hubs sequence number; their row key is <c>gw-{ticks}-{n}</c>. n is a random
    /// 31-bit request number times 65,536 plus the event's index, so two requests in the same tick do not collide.
    /// </summary>
    private static long SequenceBase() => (long)RandomNumberGenerator.GetInt32(int.MaxValue) << 16;

    private static string? RouteValue(HttpRequestData request, string name)
    {
        foreach (var (key, value) in request.Params)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "SubmitEvents for {OdsCode}: the {Dependency} is unavailable; answered 503")]
    private static partial void LogUnavailable(ILogger logger, string dependency, string odsCode, Exception exception);
}
