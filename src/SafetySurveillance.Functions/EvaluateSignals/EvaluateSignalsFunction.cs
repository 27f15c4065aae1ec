using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>
/// <c>EvaluateSignals</c>: queue trigger on <c>signals-touched</c> (connection <c>Storage</c>). The message lists the
/// partitions one ingestion batch wrote; each is evaluated whole (see <see cref="SignalEvaluation"/>). A storage failure
/// or a message that is not a <see cref="SignalsTouchedMessage"/> answers 500: the host makes the message visible again
/// after the visibility timeout and moves it to <c>signals-touched-poison</c> after <c>maxDequeueCount</c> deliveries.
/// Re-running is harmless: the same signals send nothing twice.
/// </summary>
public static partial class EvaluateSignalsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "EvaluateSignals";

    /// <summary>The trigger binding name in function.json.</summary>
    public const string BindingName = "message";

    /// <summary>Handles <c>POST /EvaluateSignals</c>.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, SignalEvaluation evaluation, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(loggers);
        ILogger logger = loggers.CreateLogger(typeof(EvaluateSignalsFunction));
        QueueTriggerMessage message;
        try
        {
            InvocationRequest? request = await JsonSerializer.DeserializeAsync(context.Request.Body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>(), context.RequestAborted).ConfigureAwait(false);
            message = QueueTriggerMessage.Read(request ?? throw new FormatException("The invocation body is JSON null."), BindingName);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return Fail($"{Name}: not a queue trigger invocation ({ex.GetType().Name})");
        }

        if (!TryReadPartitions(message.Text, out List<(string, SignalPeriod)> partitions))
        {
            LogMalformed(logger, message.Id, message.DequeueCount);
            return Fail($"{Name}: message {message.Id} (delivery {message.DequeueCount}) is not a signals-touched message; it goes to the poison queue after the last delivery");
        }

        try
        {
            EvaluationSummary summary = await evaluation.EvaluateAsync(partitions, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(
                new InvocationResponse
                {
                    Logs = { Describe(summary, $"message {message.Id} (delivery {message.DequeueCount})") },
                    ReturnValue = JsonSerializer.SerializeToElement(summary),
                },
                CustomHandlerJson.Options);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            LogStorageFailure(logger, ex, message.Id, message.DequeueCount);
            return Fail($"{Name}: storage failure on message {message.Id} (delivery {message.DequeueCount}), the host will deliver it again: {ex.GetType().Name}");
        }
    }

    /// <summary>The storage failures that fail an invocation so that the host retries it.</summary>
    internal static bool IsTransient(Exception ex) =>
        ex is RequestFailedException or AlertConflictException or SignalWriteConflictException or TimeoutException or HttpRequestException;

    internal static string Describe(EvaluationSummary s, string what) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what}: {s.Partitions} partition(s) evaluated ({s.Skipped} without rules), {s.Findings} finding(s); {s.Raised} raised, {s.Escalated} escalated, {s.Reopened} re-opened, {s.Updated} updated; {s.Enqueued} notification(s) enqueued; {s.ChartMonths} CUSUM month(s) charted");

    internal static IResult Fail(string log) =>
        Results.Json(new InvocationResponse { Logs = { log } }, CustomHandlerJson.Options, statusCode: StatusCodes.Status500InternalServerError);

    private static bool TryReadPartitions(string text, out List<(string, SignalPeriod)> partitions)
    {
        partitions = [];
        if (SignalsTouchedMessage.TryParse(text) is not { } parsed)
        {
            return false;
        }

        foreach (TouchedPartition partition in parsed.Partitions)
        {
            if (!SignalPeriod.TryParse(partition.Period, out SignalPeriod period))
            {
                return false;
            }

            partitions.Add((partition.Procedure, period));
        }

        return true;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "EvaluateSignals: message {MessageId} (delivery {DequeueCount}) is not a signals-touched message")]
    private static partial void LogMalformed(ILogger logger, string messageId, long dequeueCount);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "EvaluateSignals: storage failed on message {MessageId} (delivery {DequeueCount}); the host will deliver it again")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string messageId, long dequeueCount);
}
