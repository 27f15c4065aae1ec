using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>The outcome of one channel's try at one recipient in one dispatch.</summary>
/// <param name="Delivered">Whether the recipient has it.</param>
/// <param name="Attempts">How many times this dispatch tried.</param>
/// <param name="Reason">Why it failed (status, SMTP reply or error type); null when delivered.</param>
/// <param name="MessageId">The e-mail Message-Id or webhook-id sent.</param>
public sealed record ChannelResult(bool Delivered, int Attempts, string? Reason, string MessageId);

/// <summary>
/// Posts the signed alert JSON to a webhook: Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>), a new timestamp and signature per attempt, no redirects followed (3xx is a failure), and
/// retries with back-off (<see cref="WebhookRetryPolicy"/>) on connection errors, timeouts, 5xx, 408 and 429. Any
/// other 4xx fails at once: the same request would be refused again.
/// </summary>
public sealed partial class WebhookSender
{
    /// <summary>The named <see cref="HttpClient"/> this sender uses.</summary>
    public const string HttpClientName = "alert-webhooks";

    private static readonly TimeSpan MinimumAttemptTime = TimeSpan.FromSeconds(1);

    private readonly IHttpClientFactory _clients;
    private readonly WebhookSigner _signer;
    private readonly WebhookRetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;

    /// <summary>Creates the sender.</summary>
    public WebhookSender(IHttpClientFactory clients, WebhookSigner signer, WebhookRetryPolicy policy, TimeProvider time, ILogger<WebhookSender> logger)
    {
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Sends <paramref name="content"/> to <paramref name="url"/>, retrying within the policy's budget.</summary>
    public async Task<ChannelResult> SendAsync(AlertContent content, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(url);
        var http = _clients.CreateClient(HttpClientName);
        var started = _time.GetTimestamp();
        string reason = "not attempted";
        var attempt = 0;
        while (true)
        {
            attempt++;
            var remaining = _policy.TotalBudget - _time.GetElapsedTime(started);
            var attemptTimeout = remaining < _policy.AttemptTimeout ? remaining : _policy.AttemptTimeout;
            var outcome = await AttemptAsync(http, content, url, attemptTimeout, cancellationToken).ConfigureAwait(false);
            if (outcome.Delivered)
            {
                return new ChannelResult(true, attempt, null, content.WebhookId);
            }

            reason = outcome.Reason;
            if (!outcome.Retryable)
            {
                return new ChannelResult(false, attempt, reason + " (not retried)", content.WebhookId);
            }

            if (attempt >= _policy.MaxAttempts)
            {
                return new ChannelResult(false, attempt, reason, content.WebhookId);
            }

            var delay = _policy.DelayBefore(attempt + 1, Random.Shared.NextDouble());
            if (outcome.RetryAfter is { } retryAfter && retryAfter > delay)
            {
                if (retryAfter > _policy.MaxDelay)
                {
                    return new ChannelResult(false, attempt, $"{reason}; Retry-After {retryAfter.TotalSeconds:F0} s is longer than this dispatch waits", content.WebhookId);
                }

                delay = retryAfter;
            }

            // No attempt starts unless it and its back-off fit in what is left of the budget, with a little time to run.
            var minimumRun = _policy.AttemptTimeout < MinimumAttemptTime ? _policy.AttemptTimeout : MinimumAttemptTime;
            if (_time.GetElapsedTime(started) + delay + minimumRun > _policy.TotalBudget)
            {
                return new ChannelResult(false, attempt, reason + "; retry budget spent", content.WebhookId);
            }

            LogRetrying(_logger, content.WebhookId, url.GetLeftPart(UriPartial.Authority), attempt, reason, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(HttpClient http, AlertContent content, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("webhook-id", content.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", _signer.Sign(content.WebhookId, timestamp, content.WebhookBody.Span));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("SafetySurveillance-Alerts", "1.0"));
        request.Content = new ReadOnlyMemoryContent(content.WebhookBody);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptToken.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and <= 299)
            {
                return AttemptOutcome.Success;
            }

            var text = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}").TrimEnd();
            var retryable = status >= 500 || status == (int)HttpStatusCode.RequestTimeout || status == (int)HttpStatusCode.TooManyRequests;
            return new AttemptOutcome(false, retryable, text, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, true, string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.#} s"), null);
        }
        catch (HttpRequestException ex)
        {
            var detail = ex.HttpRequestError != HttpRequestError.Unknown ? ex.HttpRequestError.ToString() : ex.GetType().Name;
            return new AttemptOutcome(false, true, "connection failed: " + detail, null);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private sealed record AttemptOutcome(bool Delivered, bool Retryable, string Reason, TimeSpan? RetryAfter)
    {
        public static AttemptOutcome Success { get; } = new(true, false, string.Empty, null);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Webhook {WebhookId} to {Endpoint}: attempt {Attempt} failed ({Reason}); retrying in {DelayMs:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string webhookId, string endpoint, int attempt, string reason, double delayMs);
}
