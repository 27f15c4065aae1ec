using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.LocalServices.Maildev;

/// <summary>
/// A small client for maildev's REST API (maildev 3 serves it under <c>/api</c>): list every received message,
/// delete them all, wait for messages. Thread-safe; for tests, DevHost and end-to-end checks.
/// </summary>
public sealed class MaildevClient : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for the maildev web interface at <paramref name="webEndpoint"/> (e.g. <c>http://127.0.0.1:1080/</c>).</summary>
    public MaildevClient(Uri webEndpoint)
        : this(new HttpClient(), webEndpoint, ownsHttp: true)
    {
    }

    /// <summary>A client that sends through <paramref name="http"/> (not disposed by this client).</summary>
    public MaildevClient(HttpClient http, Uri webEndpoint)
        : this(http, webEndpoint, ownsHttp: false)
    {
    }

    private MaildevClient(HttpClient http, Uri webEndpoint, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(webEndpoint);
        _http = http;
        _ownsHttp = ownsHttp;
        var root = webEndpoint.AbsoluteUri.EndsWith('/') ? webEndpoint : new Uri(webEndpoint.AbsoluteUri + "/");
        ApiBase = new Uri(root, "api/");
    }

    /// <summary>The REST API base address.</summary>
    public Uri ApiBase { get; }

    /// <summary>Every message maildev holds, in arrival order (<c>GET /api/email</c>).</summary>
    public async Task<IReadOnlyList<MaildevEmail>> ListEmailsAsync(CancellationToken cancellationToken = default)
    {
        var emails = await _http.GetFromJsonAsync<List<MaildevEmail>>(new Uri(ApiBase, "email"), JsonOptions, cancellationToken).ConfigureAwait(false);
        return emails ?? [];
    }

    /// <summary>Deletes every message (<c>DELETE /api/email/all</c>).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync(new Uri(ApiBase, "email/all"), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Polls <see cref="ListEmailsAsync"/> until <paramref name="condition"/> holds for the list, and returns that list;
    /// throws <see cref="TimeoutException"/> with what was there when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<IReadOnlyList<MaildevEmail>> WaitForEmailsAsync(
        Func<IReadOnlyList<MaildevEmail>, bool> condition,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var emails = await ListEmailsAsync(cancellationToken).ConfigureAwait(false);
            if (condition(emails))
            {
                return emails;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join(", ", emails.Select(e => $"'{e.Subject}' to {string.Join(';', e.EnvelopeRecipients)}"));
                throw new TimeoutException($"maildev did not hold the expected messages within {timeout}; it holds {emails.Count}: {seen}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}

/// <summary>One message as maildev's REST API describes it (the fields this project reads).</summary>
public sealed record MaildevEmail
{
    /// <summary>maildev's id of the message.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>When maildev received it.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The Subject header, decoded.</summary>
    public string? Subject { get; init; }

    /// <summary>The From header's addresses.</summary>
    public IReadOnlyList<MaildevAddress> From { get; init; } = [];

    /// <summary>The To header's addresses.</summary>
    public IReadOnlyList<MaildevAddress> To { get; init; } = [];

    /// <summary>The plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>The HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>The headers, names in lower case (a value is a string, or an array for repeated headers).</summary>
    public IReadOnlyDictionary<string, JsonElement> Headers { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The SMTP envelope (MAIL FROM / RCPT TO), which says who the message was actually delivered to.</summary>
    public MaildevEnvelope? Envelope { get; init; }

    /// <summary>The <c>Message-Id</c> header, angle brackets included, or null.</summary>
    [JsonIgnore]
    public string? MessageId => Header("message-id");

    /// <summary>The addresses the SMTP client named in RCPT TO.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EnvelopeRecipients => Envelope?.To.Select(a => a.Address).ToList() ?? [];

    /// <summary>A header's value (the first, if repeated), or null.</summary>
    public string? Header(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Headers.TryGetValue(name.ToLowerInvariant(), out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.String => value[0].GetString(),
            _ => value.GetRawText(),
        };
    }
}

/// <summary>An address in a header or the envelope.</summary>
/// <param name="Address">The e-mail address.</param>
/// <param name="Name">The display name (empty when none).</param>
public sealed record MaildevAddress(string Address, string? Name = null);

/// <summary>The SMTP envelope of a message.</summary>
/// <param name="From">MAIL FROM.</param>
/// <param name="To">Every RCPT TO.</param>
public sealed record MaildevEnvelope(MaildevAddress? From, IReadOnlyList<MaildevAddress> To);
