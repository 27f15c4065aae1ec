using Microsoft.Extensions.Logging;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Storage.Deliveries;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>What happened to one recipient in one dispatch.</summary>
public enum RecipientStatus
{
    /// <summary>An earlier dispatch delivered it; nothing was sent.</summary>
    AlreadyDelivered = 1,

    /// <summary>Delivered by this dispatch.</summary>
    Delivered = 2,

    /// <summary>This dispatch failed to deliver it (recorded; a redelivery of the message tries again).</summary>
    Failed = 3,
}

/// <summary>One recipient's line in a <see cref="DispatchSummary"/>.</summary>
/// <param name="Target">The recipient.</param>
/// <param name="Status">Already delivered, delivered, or failed.</param>
/// <param name="Attempts">Attempts made by this dispatch.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Recorded">False when the outcome could not be written to <c>AlertDeliveries</c>.</param>
public sealed record RecipientOutcome(DeliveryTarget Target, RecipientStatus Status, int Attempts, string? Reason, bool Recorded = true);

/// <summary>The result of one dispatch of one alert send.</summary>
/// <param name="DeliveryKey">Alert id and send number.</param>
/// <param name="Recipients">One line per recipient.</param>
/// <param name="Notes">Routing remarks.</param>
public sealed record DispatchSummary(string DeliveryKey, IReadOnlyList<RecipientOutcome> Recipients, IReadOnlyList<string> Notes)
{
    /// <summary>Whether every recipient has the alert and every outcome is recorded; otherwise the message must come back.</summary>
    public bool Complete => Recipients.All(r => r.Status != RecipientStatus.Failed && r.Recorded);

    /// <summary>Recipients delivered by this dispatch.</summary>
    public int Delivered => Recipients.Count(r => r.Status == RecipientStatus.Delivered);

    /// <summary>Recipients an earlier dispatch had delivered.</summary>
    public int AlreadyDelivered => Recipients.Count(r => r.Status == RecipientStatus.AlreadyDelivered);

    /// <summary>Recipients this dispatch failed.</summary>
    public int Failed => Recipients.Count(r => r.Status == RecipientStatus.Failed);
}

/// <summary>
/// Delivers one alert send to every recipient at most once: routes it (<see cref="AlertRecipients"/>), reads which
/// recipients already have it (<see cref="AlertDeliveryStore"/>), sends to the others — e-mails one after another
/// over one SMTP connection while the webhooks go out in parallel — and records each outcome as soon as it is known.
/// A failed recipient or channel never stops the others. The caller fails the invocation when the summary is not
/// <see cref="DispatchSummary.Complete"/>, so the queue redelivers the message and only the failed recipients are
/// tried again.
/// </summary>
public sealed partial class GovernanceAlertDispatcher
{
    private readonly AlertRecipients _recipients;
    private readonly AlertDeliveryStore _deliveries;
    private readonly AlertMailer _mailer;
    private readonly WebhookSender _webhooks;
    private readonly DashboardLink _dashboard;
    private readonly TimeProvider _time;
    private readonly ILogger<GovernanceAlertDispatcher> _logger;
    private readonly KeyedGate _gate = new();

    /// <summary>Creates the dispatcher.</summary>
    public GovernanceAlertDispatcher(
        AlertRecipients recipients,
        AlertDeliveryStore deliveries,
        AlertMailer mailer,
        WebhookSender webhooks,
        DashboardLink dashboard,
        TimeProvider time,
        ILogger<GovernanceAlertDispatcher> logger)
    {
        _recipients = recipients ?? throw new ArgumentNullException(nameof(recipients));
        _deliveries = deliveries ?? throw new ArgumentNullException(nameof(deliveries));
        _mailer = mailer ?? throw new ArgumentNullException(nameof(mailer));
        _webhooks = webhooks ?? throw new ArgumentNullException(nameof(webhooks));
        _dashboard = dashboard ?? throw new ArgumentNullException(nameof(dashboard));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Dispatches one send. Storage failures while routing or reading earlier outcomes propagate (nothing was sent yet);
    /// failures to deliver or to record an outcome are reported in the summary after every recipient was tried.
    /// </summary>
    public async Task<DispatchSummary> DispatchAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var held = await _gate.EnterAsync(notification.DeliveryKey, cancellationToken).ConfigureAwait(false);

        var route = await _recipients.ResolveAsync(notification, cancellationToken).ConfigureAwait(false);
        foreach (var note in route.Notes)
        {
            LogRoutingNote(_logger, notification.DeliveryKey, note);
        }

        var earlier = await _deliveries.GetSendAsync(notification.AlertId, notification.Send, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<RecipientOutcome>();
        var pending = new List<DeliveryTarget>();
        foreach (var target in route.Targets)
        {
            if (earlier.Any(r => r.IsFor(target) && r.Outcome == DeliveryOutcome.Delivered))
            {
                outcomes.Add(new RecipientOutcome(target, RecipientStatus.AlreadyDelivered, 0, null));
            }
            else
            {
                pending.Add(target);
            }
        }

        var content = AlertContent.Create(notification, _dashboard.BaseUrl);
        var emails = SendEmailsAsync(content, pending.Where(t => t.Channel == DeliveryChannel.Email).ToList(), cancellationToken);
        var webhooks = pending
            .Where(t => t.Channel == DeliveryChannel.Webhook)
            .Select(t => SendWebhookAsync(content, t, cancellationToken))
            .ToList();

        outcomes.AddRange(await emails.ConfigureAwait(false));
        outcomes.AddRange(await Task.WhenAll(webhooks).ConfigureAwait(false));

        // Report in routing order, whatever order the channels finished in.
        var order = route.Targets.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var summary = new DispatchSummary(notification.DeliveryKey, outcomes.OrderBy(o => order[o.Target]).ToList(), route.Notes);
        LogDispatched(_logger, notification.DeliveryKey, summary.Delivered, summary.AlreadyDelivered, summary.Failed);
        return summary;
    }

    private async Task<List<RecipientOutcome>> SendEmailsAsync(AlertContent content, List<DeliveryTarget> targets, CancellationToken cancellationToken)
    {
        var outcomes = new List<RecipientOutcome>(targets.Count);
        if (targets.Count == 0)
        {
            return outcomes;
        }

        await using var session = _mailer.OpenSession();
        foreach (var target in targets)
        {
            var result = await session.SendAsync(content, target.Address!, cancellationToken).ConfigureAwait(false);
            outcomes.Add(await RecordAsync(content.Notification, target, result, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<RecipientOutcome> SendWebhookAsync(AlertContent content, DeliveryTarget target, CancellationToken cancellationToken)
    {
        var result = await _webhooks.SendAsync(content, target.Url!, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(content.Notification, target, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RecipientOutcome> RecordAsync(AlertNotification notification, DeliveryTarget target, ChannelResult result, CancellationToken cancellationToken)
    {
        var status = result.Delivered ? RecipientStatus.Delivered : RecipientStatus.Failed;
        if (!result.Delivered)
        {
            LogRecipientFailed(_logger, notification.DeliveryKey, target.ToString(), result.Attempts, result.Reason ?? "unknown");
        }

        var attempt = new DeliveryAttempt(
            result.Delivered ? DeliveryOutcome.Delivered : DeliveryOutcome.Failed,
            result.Attempts,
            result.Reason,
            result.MessageId,
            _time.GetUtcNow());
        try
        {
            // Written straight after the send: the window in which a crash loses the fact that it was sent is this call.
            await _deliveries.RecordAsync(notification.AlertId, notification.Send, target, attempt, cancellationToken).ConfigureAwait(false);
            return new RecipientOutcome(target, status, result.Attempts, result.Reason);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TimeoutException or IOException)
        {
            LogRecordFailed(_logger, notification.DeliveryKey, target.ToString(), ex.GetType().Name);
            return new RecipientOutcome(target, status, result.Attempts, result.Reason, Recorded: false);
        }
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Warning, Message = "Alert send {DeliveryKey}: {Note}")]
    private static partial void LogRoutingNote(ILogger logger, string deliveryKey, string note);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "Alert send {DeliveryKey}: {Recipient} failed after {Attempts} attempt(s): {Reason}")]
    private static partial void LogRecipientFailed(ILogger logger, string deliveryKey, string recipient, int attempts, string reason);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Error, Message = "Alert send {DeliveryKey}: the outcome for {Recipient} could not be recorded ({Error}); a redelivery may send it again")]
    private static partial void LogRecordFailed(ILogger logger, string deliveryKey, string recipient, string error);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Information, Message = "Alert send {DeliveryKey}: {Delivered} delivered, {AlreadyDelivered} already delivered, {Failed} failed")]
    private static partial void LogDispatched(ILogger logger, string deliveryKey, int delivered, int alreadyDelivered, int failed);
}

/// <summary>The dashboard's base address (<c>Dashboard:BaseUrl</c>, default <see cref="Default"/>), for alert links.</summary>
/// <param name="BaseUrl">The absolute base URL.</param>
public sealed record DashboardLink(Uri BaseUrl)
{
    /// <summary>The configuration key.</summary>
    public const string SettingName = "Dashboard:BaseUrl";

    /// <summary>The local default: where DevHost serves the <c>Dashboard</c> function (route <c>dashboard/{*path}</c> under <c>/api</c>).</summary>
    public static Uri Default { get; } = new("http://localhost:7071/api/dashboard/");
}
