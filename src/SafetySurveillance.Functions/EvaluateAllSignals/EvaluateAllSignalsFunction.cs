using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Functions.EvaluateSignals;

namespace SafetySurveillance.Functions.EvaluateAllSignals;

/// <summary>
/// <c>EvaluateAllSignals</c>: timer trigger (schedule from the app setting <c>EvaluateAllSignalsSchedule</c>, NCRONTAB
/// with seconds, e.g. <c>0 */5 * * * *</c>). Evaluates every partition of the Signals table — the funnel's national
/// rate moves when any trust reports, CUSUM months mature with the calendar, and a crash between an ingestion batch's
/// row writes and its <c>signals-touched</c> message is made good here — then enqueues every send still waiting in an
/// alert's outbox. A storage failure answers 500; the next occurrence runs again anyway.
/// </summary>
public static partial class EvaluateAllSignalsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "EvaluateAllSignals";

    /// <summary>The trigger binding name in function.json.</summary>
    public const string BindingName = "timer";

    /// <summary>The app setting that holds the schedule (function.json: <c>%EvaluateAllSignalsSchedule%</c>).</summary>
    public const string ScheduleSetting = "EvaluateAllSignalsSchedule";

    /// <summary>Handles <c>POST /EvaluateAllSignals</c>.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, SignalEvaluation evaluation, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(loggers);
        TimerTriggerInfo timer;
        try
        {
            InvocationRequest? request = await JsonSerializer.DeserializeAsync(context.Request.Body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>(), context.RequestAborted).ConfigureAwait(false);
            timer = TimerTriggerInfo.Read(request ?? throw new FormatException("The invocation body is JSON null."), BindingName);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return EvaluateSignalsFunction.Fail($"{Name}: not a timer trigger invocation ({ex.GetType().Name})");
        }

        try
        {
            EvaluationSummary summary = await evaluation.EvaluateAllAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Json(
                new InvocationResponse
                {
                    Logs = { EvaluateSignalsFunction.Describe(summary, timer.IsPastDue ? "past-due run" : "scheduled run") },
                    ReturnValue = JsonSerializer.SerializeToElement(summary),
                },
                CustomHandlerJson.Options);
        }
        catch (Exception ex) when (EvaluateSignalsFunction.IsTransient(ex))
        {
            LogStorageFailure(loggers.CreateLogger(typeof(EvaluateAllSignalsFunction)), ex);
            return EvaluateSignalsFunction.Fail($"{Name}: storage failure, the next run tries again: {ex.GetType().Name}");
        }
    }

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "EvaluateAllSignals: storage failed; the next run tries again")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception);
}
