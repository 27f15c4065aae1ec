using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// What every recipient of one alert send receives, built once per dispatch from the frozen notification: the e-mail
/// subject and bodies, the webhook JSON, the dashboard link and the ids receivers de-duplicate on. Aggregate figures
/// only: a notification carries nothing about a patient, and nothing here adds any.
/// </summary>
public sealed class AlertContent
{
    private static readonly JsonSerializerOptions WebhookJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private AlertContent(AlertNotification notification, Uri dashboardLink)
    {
        Notification = notification;
        DashboardLink = dashboardLink;
        ScopeText = DescribeScope(notification.Scope);
        Subject = BuildSubject(notification, ScopeText);
        Facts = BuildFacts(notification, ScopeText);
        Text = BuildText(notification, Facts, dashboardLink);
        Html = BuildHtml(notification, Facts, dashboardLink);
        WebhookId = "msg_" + HashHex(notification.DeliveryKey, 32);
        WebhookBody = BuildWebhookBody(notification, dashboardLink);
    }

    /// <summary>The notification this content describes.</summary>
    public AlertNotification Notification { get; }

    /// <summary>The alert's page on the dashboard: <c>{Dashboard:BaseUrl}/#/alerts/{url-encoded alert id}</c>.</summary>
    public Uri DashboardLink { get; }

    /// <summary>The scope in words: <c>national</c>, <c>trust RX1</c>, <c>device 0123…</c>.</summary>
    public string ScopeText { get; }

    /// <summary>The e-mail subject.</summary>
    public string Subject { get; }

    /// <summary>The label/value lines both e-mail bodies show.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts { get; }

    /// <summary>The plain-text e-mail body.</summary>
    public string Text { get; }

    /// <summary>The HTML e-mail body (the same facts, escaped).</summary>
    public string Html { get; }

    /// <summary>
    /// The Standard Webhooks <c>webhook-id</c>: <c>msg_</c> + 32 hex digits of SHA-256 of the delivery key. Stable for
    /// the send (every retry and redelivery carries the same id) and free of <c>.</c>, which the signed content uses as
    /// its separator (alert ids contain dots, e.g. <c>A48.4</c>).
    /// </summary>
    public string WebhookId { get; }

    /// <summary>The exact webhook body bytes that are signed and sent (UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> WebhookBody { get; }

    /// <summary>Builds the content; <paramref name="dashboardBase"/> is <c>Dashboard:BaseUrl</c>.</summary>
    public static AlertContent Create(AlertNotification notification, Uri dashboardBase)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(dashboardBase);
        return new AlertContent(notification, DashboardLinkFor(dashboardBase, notification.AlertId));
    }

    /// <summary>The dashboard link of an alert.</summary>
    public static Uri DashboardLinkFor(Uri dashboardBase, string alertId)
    {
        ArgumentNullException.ThrowIfNull(dashboardBase);
        ArgumentNullException.ThrowIfNull(alertId);
        return new Uri(dashboardBase.AbsoluteUri.TrimEnd('/') + "/#/alerts/" + Uri.EscapeDataString(alertId), UriKind.Absolute);
    }

    /// <summary>
    /// The e-mail <c>Message-Id</c> for one recipient: <c>&lt;{32 hex digits of SHA-256 of delivery key and lower-case
    /// address}@{domain of the sender}&gt;</c>. The same send to the same recipient always has the same id, so a mail
    /// system or client that de-duplicates on Message-Id shows a re-sent copy once.
    /// </summary>
    public string MessageIdFor(string recipient, string fromAddress)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(fromAddress);
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "safety-surveillance.invalid";
        return HashHex(Notification.DeliveryKey + "\n" + recipient.Trim().ToLowerInvariant(), 32) + "@" + domain;
    }

    /// <summary>The Standard Webhooks event type: <c>alert.raised</c>, <c>alert.escalated</c> or <c>alert.reopened</c>.</summary>
    public static string EventType(AlertDecisionKind kind) => kind switch
    {
        AlertDecisionKind.Escalate => "alert.escalated",
        AlertDecisionKind.Reopen => "alert.reopened",
        _ => "alert.raised",
    };

    private static string BuildSubject(AlertNotification n, string scope)
    {
        var what = n.Kind switch
        {
            AlertDecisionKind.Escalate => "escalated to alarm",
            AlertDecisionKind.Reopen => "re-opened",
            _ => "raised",
        };
        return $"[Safety alert] {SeverityWord(n.Severity)}: {n.RuleId}, {scope}, {n.Procedure} {n.Period} ({what})";
    }

    private static List<(string, string)> BuildFacts(AlertNotification n, string scope)
    {
        var facts = new List<(string, string)>
        {
            ("Severity", SeverityWord(n.Severity)),
            ("Rule", $"{n.RuleId} ({n.RuleKind})"),
            ("Procedure", n.Procedure),
            ("Scope", scope),
            ("Period", n.Period),
            ("Send", string.Create(CultureInfo.InvariantCulture, $"{n.Send} ({n.Kind.ToString().ToLowerInvariant()})")),
            ("Decided at", n.DecidedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        };

        var e = n.Evidence;
        if (e is not null)
        {
            facts.Add(("Count", string.Create(CultureInfo.InvariantCulture, $"{e.Numerator} of {e.Denominator}")));
            Add(facts, "Rate", Percent(e.Rate));
            if (e.IntervalLower is not null || e.IntervalUpper is not null)
            {
                var level = e.Confidence is { } c ? Percent(c, 0) + " " : string.Empty;
                facts.Add(($"{level}interval", $"{Percent(e.IntervalLower)} to {Percent(e.IntervalUpper)}"));
            }

            Add(facts, "Benchmark", Percent(e.Benchmark));
            Add(facts, "Warning limit", Percent(e.WarningLimit));
            Add(facts, "Alarm limit", Percent(e.AlarmLimit));
            Add(facts, "CUSUM value", Number(e.CusumValue));
            Add(facts, "CUSUM threshold h", Number(e.Threshold));
            Add(facts, "Over-dispersion φ", Number(e.Phi));
        }

        facts.Add(("Alert id", n.AlertId));
        return facts;
    }

    private static string BuildText(AlertNotification n, IReadOnlyList<(string Label, string Value)> facts, Uri link)
    {
        var width = facts.Max(f => f.Label.Length) + 2;
        var text = new StringBuilder();
        text.Append("Safety surveillance alert: ").Append(SeverityWord(n.Severity).ToLowerInvariant()).Append("\n\n");
        text.Append(n.Summary).Append("\n\n");
        foreach (var (label, value) in facts)
        {
            text.Append((label + ":").PadRight(width)).Append(value).Append("\n");
        }

        text.Append("\nOpen the alert on the dashboard to review, acknowledge or resolve it:\n").Append(link.AbsoluteUri).Append("\n\n");
        text.Append("Aggregate figures only: this message contains no patient-identifiable data.\n");
        return text.ToString();
    }

    private static string BuildHtml(AlertNotification n, IReadOnlyList<(string Label, string Value)> facts, Uri link)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(SeverityWord(n.Severity))).Append(" safety alert</title></head><body>");
        html.Append("<h1>Safety surveillance alert: ").Append(WebUtility.HtmlEncode(SeverityWord(n.Severity).ToLowerInvariant())).Append("</h1>");
        html.Append("<p>").Append(WebUtility.HtmlEncode(n.Summary)).Append("</p><table>");
        foreach (var (label, value) in facts)
        {
            html.Append("<tr><th scope=\"row\" style=\"text-align:left;padding-right:1em\">").Append(WebUtility.HtmlEncode(label))
                .Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }

        html.Append("</table><p><a href=\"").Append(WebUtility.HtmlEncode(link.AbsoluteUri))
            .Append("\">Open the alert on the dashboard</a> to review, acknowledge or resolve it.</p>");
        html.Append("<p><small>Aggregate figures only: this message contains no patient-identifiable data.</small></p></body></html>");
        return html.ToString();
    }

    private static byte[] BuildWebhookBody(AlertNotification n, Uri link)
    {
        // Standard Webhooks payload shape: type, timestamp (of the event, not the attempt), data.
        var payload = new WebhookPayload(
            EventType(n.Kind),
            n.DecidedAt,
            new WebhookAlert(
                n.AlertId, n.Send, n.DeliveryKey, n.Kind, n.RuleId, n.RuleKind, n.Procedure, n.Scope, n.TrustOds, n.Period,
                n.Severity, n.Summary, n.Evidence, n.DecidedAt, link.AbsoluteUri));
        return JsonSerializer.SerializeToUtf8Bytes(payload, WebhookJson);
    }

    private static string DescribeScope(string scope)
    {
        var colon = scope.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return scope;
        }

        var value = scope[(colon + 1)..];
        if (TableKeyEncoding.TryDecode(value, out var decoded))
        {
            value = decoded;
        }

        return scope[..colon] + " " + value;
    }

    private static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Alarm => "Alarm",
        Severity.Warning => "Warning",
        _ => "Notice",
    };

    private static void Add(List<(string, string)> facts, string label, string? value)
    {
        if (value is not null)
        {
            facts.Add((label, value));
        }
    }

    private static string? Percent(double? value, int decimals = 1) =>
        value is { } v && double.IsFinite(v) ? (v * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : null;

    private static string? Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : null;

    private static string HashHex(string value, int digits) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..digits];

    private sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookAlert Data);

    private sealed record WebhookAlert(
        string AlertId,
        int Send,
        string DeliveryKey,
        AlertDecisionKind Kind,
        string RuleId,
        string RuleKind,
        string Procedure,
        string Scope,
        string? TrustOds,
        string Period,
        Severity Severity,
        string Summary,
        Evidence Evidence,
        DateTimeOffset DecidedAt,
        string DashboardUrl);
}
