using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Sending;

/// <summary>
/// Sends through the HTTPS gateway: <c>POST {baseUrl}/api/trusts/{ods}/events</c> with the trust's key in
/// <c>x-trust-key</c>. One event per request as <c>application/cloudevents+json</c>, or, with
/// <see cref="MaxEventsPerRequest"/> above 1, a JSON array as <c>application/cloudevents-batch+json</c>.
/// A body that is not JSON cannot be an array element, and a malformed event could make the gateway refuse a
/// whole batch, so malformed events always go alone. The gateway's answer body (<c>{"accepted":n,"rejected":m}</c>
/// with 202, 207 or 400) gives the counts; without one, 2xx means accepted and other 4xx refused. 429 and 5xx
/// answers are retried with back-off (the ledger makes a repeated event harmless); 401/403 stop the run.
/// </summary>
public sealed class GatewayTransport : ISafetyEventTransport
{
    public const string TrustKeyHeader = "x-trust-key";
    public const string SingleContentType = "application/cloudevents+json";
    public const string BatchContentType = "application/cloudevents-batch+json";

    private const int MaxAttempts = 6;

    private readonly HttpClient http;
    private readonly Uri baseUrl;
    private readonly Func<string, string> trustKey;
    private readonly TimeProvider timeProvider;

    /// <param name="http">The client; the caller keeps and disposes it.</param>
    /// <param name="baseUrl">The function app's base address, e.g. <c>http://localhost:7071</c>.</param>
    /// <param name="trustKey">The key a trust presents.</param>
    /// <param name="maxEventsPerRequest">1 for single events, more for JSON array batches.</param>
    /// <param name="timeProvider">Clock for retry back-off.</param>
    public GatewayTransport(HttpClient http, Uri baseUrl, Func<string, string> trustKey, int maxEventsPerRequest = 1, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(trustKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerRequest);
        this.http = http;
        this.baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        this.trustKey = trustKey;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        MaxEventsPerRequest = maxEventsPerRequest;
    }

    public int MaxEventsPerRequest { get; }

    public string Name => "gateway " + baseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>The address a trust posts to.</summary>
    public Uri EventsUri(string trustOds) => new(baseUrl, $"api/trusts/{Uri.EscapeDataString(trustOds)}/events");

    public async Task<TransportResult> SendAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trustOds);
        ArgumentNullException.ThrowIfNull(events);
        var result = default(TransportResult);
        var pending = new List<SimulatedEvent>(MaxEventsPerRequest);
        foreach (var e in events)
        {
            if (MaxEventsPerRequest == 1 || e.Kind == SimulatedEventKind.Malformed)
            {
                result += await FlushAsync(trustOds, pending, cancellationToken).ConfigureAwait(false);
                result += await PostAsync(trustOds, [e], batch: false, cancellationToken).ConfigureAwait(false);
                continue;
            }

            pending.Add(e);
            if (pending.Count == MaxEventsPerRequest)
            {
                result += await FlushAsync(trustOds, pending, cancellationToken).ConfigureAwait(false);
            }
        }

        result += await FlushAsync(trustOds, pending, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A JSON array of the events' structured bodies, byte for byte.</summary>
    public static byte[] BatchBody(IReadOnlyList<SimulatedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var stream = new MemoryStream();
        stream.WriteByte((byte)'[');
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0)
            {
                stream.WriteByte((byte)',');
            }

            stream.Write(events[i].Body.Span);
        }

        stream.WriteByte((byte)']');
        return stream.ToArray();
    }

    private static async Task<TransportResult?> ReadCountsAsync(HttpResponseMessage response, int sent, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("accepted", out var accepted) && accepted.TryGetInt32(out var a)
                && document.RootElement.TryGetProperty("rejected", out var rejected) && rejected.TryGetInt32(out var r)
                && a >= 0 && r >= 0 && a + r == sent)
            {
                return new TransportResult(a, r);
            }
        }
        catch (JsonException)
        {
            // Not the gateway's JSON answer: judge by the status code.
        }

        return null;
    }

    private async Task<TransportResult> FlushAsync(string trustOds, List<SimulatedEvent> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return default;
        }

        var result = await PostAsync(trustOds, [.. pending], batch: true, cancellationToken).ConfigureAwait(false);
        pending.Clear();
        return result;
    }

    private async Task<TransportResult> PostAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, bool batch, CancellationToken cancellationToken)
    {
        var body = batch ? BatchBody(events) : events[0].Body.ToArray();
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, EventsUri(trustOds));
            request.Headers.Add(TrustKeyHeader, trustKey(trustOds));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(batch ? BatchContentType : SingleContentType);
            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode || status == HttpStatusCode.BadRequest)
                {
                    // The gateway answers 202 (all accepted), 207 (some) or 400 (none) with {"accepted":n,"rejected":m}.
                    var counted = await ReadCountsAsync(response, events.Count, cancellationToken).ConfigureAwait(false);
                    if (counted is { } result)
                    {
                        return result;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        return new TransportResult(events.Count, 0);
                    }
                }

                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new HttpRequestException($"The gateway refused trust {trustOds}'s key ({(int)status}); check --trust-key.", null, status);
                }

                var transient = status == HttpStatusCode.TooManyRequests || (int)status >= 500;
                if (!transient)
                {
                    return new TransportResult(0, events.Count);
                }

                if (attempt >= MaxAttempts)
                {
                    throw new HttpRequestException($"The gateway kept answering {(int)status} for trust {trustOds}.", null, status);
                }
            }
            catch (HttpRequestException exception) when (exception.StatusCode is null && attempt < MaxAttempts)
            {
                // Connection refused or reset: retry below.
            }
            finally
            {
                response?.Dispose();
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }
}
