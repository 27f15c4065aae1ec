using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Alerts;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// <c>DispatchGovernanceAlerts</c>: queue trigger on <c>governance-alerts</c> (connection <c>Storage</c>). Each message is
/// one <see cref="AlertNotification"/>; every recipient gets it at most once (<see cref="GovernanceAlertDispatcher"/>).
/// Answers 200 when every recipient has the alert; otherwise 500 after every recipient was tried and every outcome
/// recorded, so the host makes the message visible again after <c>visibilityTimeout</c> and the redelivery sends only
/// what failed. A message that is not a notification also answers 500 with the reason logged: it can never succeed,
/// so after <c>maxDequeueCount</c> receives the host moves it, unchanged, to <c>governance-alerts-poison</c> for
/// someone to look at (nothing is dropped).
/// </summary>
public static partial class DispatchGovernanceAlertsFunction
{
    /// <summary>The function name (its folder).</summary>
    public const string Name = "DispatchGovernanceAlerts";

    /// <summary>The trigger binding name in function.json.</summary>
    public const string BindingName = "notification";

    /// <summary>The queue the trigger reads (function.json <c>queueName</c>).</summary>
    public const string QueueName = "governance-alerts";

    /// <summary>Handles <c>POST /DispatchGovernanceAlerts</c>.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, GovernanceAlertDispatcher dispatcher, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(DispatchGovernanceAlertsFunction).FullName!);
        var cancellationToken = context.RequestAborted;

        QueueTriggerMessage message;
        try
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>(), cancellationToken).ConfigureAwait(false)
                ?? throw new FormatException("The invocation body is empty.");
            message = QueueTriggerMessage.Read(request, BindingName);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return Results.BadRequest($"Not a queue trigger invocation: {ex.Message}");
        }

        if (!TryRead(message.Text, out var notification, out var problem))
        {
            LogMalformed(logger, message.Id, message.DequeueCount, problem);
            return Answer(StatusCodes.Status500InternalServerError, [$"message {message.Id} (dequeue count {message.DequeueCount}) is not an alert notification: {problem}; it fails every time and goes to {QueueName}-poison after maxDequeueCount"]);
        }

        DispatchSummary summary;
        try
        {
            summary = await dispatcher.DispatchAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TimeoutException or IOException)
        {
            // Routing or reading earlier outcomes failed before anything was sent: the redelivery starts afresh.
            LogStorageFailure(logger, notification.DeliveryKey, message.DequeueCount, ex.GetType().Name);
            return Answer(StatusCodes.Status500InternalServerError, [$"{notification.DeliveryKey}: storage failure before sending ({ex.GetType().Name}); the message will be redelivered"]);
        }

        var logs = new List<string>(summary.Notes.Select(n => $"{summary.DeliveryKey}: {n}"));
        logs.AddRange(summary.Recipients.Select(r => Describe(summary.DeliveryKey, r)));
        logs.Add(string.Create(CultureInfo.InvariantCulture,
            $"{summary.DeliveryKey}: {summary.Delivered} delivered, {summary.AlreadyDelivered} already delivered, {summary.Failed} failed (dequeue count {message.DequeueCount})"));
        if (!summary.Complete)
        {
            // The host drops the Logs of a failed invocation: say it in the process log too.
            LogIncomplete(logger, summary.DeliveryKey, summary.Failed, summary.Recipients.Count(r => !r.Recorded), message.DequeueCount);
            return Answer(StatusCodes.Status500InternalServerError, logs);
        }

        return Answer(StatusCodes.Status200OK, logs);
    }

    /// <summary>Reads a message text as a notification, or says why it is not one.</summary>
    public static bool TryRead(string text, out AlertNotification notification, out string problem)
    {
        notification = null!;
        try
        {
            notification = AlertNotification.FromJson(text);
        }
        catch (JsonException ex)
        {
            problem = "not notification JSON: " + ex.Message;
            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or FormatException or InvalidOperationException)
        {
            problem = "not notification JSON: " + ex.GetType().Name;
            return false;
        }

        var problems = NotificationCheck.Problems(notification);
        problem = string.Join(" ", problems);
        return problems.Count == 0;
    }

    private static string Describe(string deliveryKey, RecipientOutcome outcome)
    {
        var status = outcome.Status switch
        {
            RecipientStatus.AlreadyDelivered => "already delivered",
            RecipientStatus.Delivered => string.Create(CultureInfo.InvariantCulture, $"delivered ({outcome.Attempts} attempt(s))"),
            _ => string.Create(CultureInfo.InvariantCulture, $"failed after {outcome.Attempts} attempt(s): {outcome.Reason}"),
        };
        return $"{deliveryKey}: {outcome.Target} {status}{(outcome.Recorded ? string.Empty : " (outcome NOT recorded)")}";
    }

    private static IResult Answer(int statusCode, List<string> logs) =>
        Results.Json(new InvocationResponse { Logs = logs }, CustomHandlerJson.Options, statusCode: statusCode);

    [LoggerMessage(EventId = 5120, Level = LogLevel.Error, Message = "DispatchGovernanceAlerts: message {MessageId} (dequeue count {DequeueCount}) is not an alert notification and will go to the poison queue: {Problem}")]
    private static partial void LogMalformed(ILogger logger, string messageId, long dequeueCount, string problem);

    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "DispatchGovernanceAlerts: {DeliveryKey} storage failure before sending ({Error}), dequeue count {DequeueCount}; will be redelivered")]
    private static partial void LogStorageFailure(ILogger logger, string deliveryKey, long dequeueCount, string error);

    [LoggerMessage(EventId = 5122, Level = LogLevel.Warning, Message = "DispatchGovernanceAlerts: {DeliveryKey} incomplete ({Failed} failed, {Unrecorded} not recorded), dequeue count {DequeueCount}; the redelivery sends only what is missing")]
    private static partial void LogIncomplete(ILogger logger, string deliveryKey, int failed, int unrecorded, long dequeueCount);
}
