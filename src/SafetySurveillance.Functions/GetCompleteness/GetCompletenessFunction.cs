using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetCompleteness;

/// <summary>
/// <c>GET /api/completeness?procedure=A48.4&amp;period=all</c>: the audit completeness table (MDT selection, written
/// information, registry entry, 12-month follow-up) nationally and per trust; <c>period</c> defaults to all time. A
/// governance lead gets the national row and their own trust's row only. Two table reads.
/// </summary>
public static partial class GetCompletenessFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetCompleteness";

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, IServiceProvider services, SignalTableStore store, SignalRuleSet rules, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        CancellationToken cancellationToken = context.RequestAborted;
        SignedInRequest begun = await DashboardApi.BeginAsync(context, services, Name, HttpMethods.Get, cancellationToken).ConfigureAwait(false);
        if (begun.Refusal is { } refusal)
        {
            return refusal;
        }

        HttpRequestData request = begun.Request!;
        Caller caller = begun.Caller!;

        var query = new DashboardQuery(request.Query, "procedure", "period");
        ProcedureRules? procedure = query.Procedure("procedure", rules);
        SignalPeriod period = query.Period("period", SignalPeriod.AllTime);
        if (query.Problems.Count > 0)
        {
            return DashboardApi.InvalidQuery(Name, query.Problems);
        }

        FollowUpRule? followUp = procedure!.Rules.OfType<FollowUpRule>().FirstOrDefault();
        int grace = followUp?.GraceMonths ?? FollowUpCompleteness.DefaultGraceMonths;
        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        SignalDelta? national;
        List<(string Trust, SignalDelta Totals)> trusts;
        try
        {
            Task<IReadOnlyList<(SignalKey Key, SignalRow Row)>> nationalRead = store.QueryAsync(procedure.ProcedureCode, period, SignalScopeFilter.Exactly(SignalScope.National), cancellationToken);
            Task<IReadOnlyList<(SignalKey Key, SignalRow Row)>> trustRead = store.QueryAsync(procedure.ProcedureCode, period, SignalScopeFilter.AllOf(SignalScopeKind.Trust), cancellationToken);
            national = (await nationalRead.ConfigureAwait(false)).Select(r => r.Row.Totals).FirstOrDefault();
            trusts = [.. (await trustRead.ConfigureAwait(false)).Select(r => (r.Key.Scope.Value!, r.Row.Totals))];
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalRowFormatException)
        {
            LogStorageFailure(loggers.CreateLogger(typeof(GetCompletenessFunction)), ex, procedure.ProcedureCode, period.ToString());
            return DashboardApi.StorageUnavailable(Name, ex);
        }

        var report = new CompletenessReport(
            procedure.ProcedureCode,
            period.ToString(),
            today,
            Viewer.Of(caller),
            Proportion.Confidence,
            followUp?.TargetCompleteness,
            grace,
            national is null ? null : CompletenessRow.Of("national", national, today, grace),
            [.. trusts.Where(t => caller.MaySeeTrust(t.Trust)).OrderBy(t => t.Trust, StringComparer.Ordinal).Select(t => CompletenessRow.Of(t.Trust, t.Totals, today, grace))]);
        return DashboardApi.Answer(StatusCodes.Status200OK, report, $"{Name}: {procedure.ProcedureCode} {period} for {report.Viewer.Role}: {report.Trusts.Count} trust row(s)");
    }

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "GetCompleteness could not read signal rows for {Procedure} {Period}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string procedure, string period);
}
