using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetFunnel;

/// <summary>
/// <c>GET /api/funnel?procedure=A48.4&amp;signal={funnel rule id}&amp;period=all</c>: one funnel plot for the
/// dashboard. <c>signal</c> defaults to the procedure's first funnel rule and <c>period</c> to the rule's period
/// kind (all time, or the current month or quarter). 200 with a <see cref="FunnelReport"/>; 400 listing every bad
/// parameter; 401/403 from <see cref="ICallerAuthenticator"/>; 503 when storage fails. Two table reads: the
/// national row and one range query for every trust row.
/// </summary>
public static partial class GetFunnelFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetFunnel";

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

        var query = new DashboardQuery(request.Query, "procedure", "signal", "period");
        ProcedureRules? procedure = query.Procedure("procedure", rules);
        FunnelRule? rule = null;
        if (procedure is not null)
        {
            string? id = query.Value("signal");
            var funnels = procedure.Rules.OfType<FunnelRule>().ToList();
            rule = id is null ? funnels.FirstOrDefault() : funnels.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
            if (rule is null)
            {
                query.Problem("signal", funnels.Count == 0
                    ? $"No funnel rule is configured for {procedure.ProcedureCode}."
                    : $"Not a funnel signal of {procedure.ProcedureCode}; the funnel signals are {string.Join(", ", funnels.Select(f => f.Id))}.");
            }
        }

        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        SignalPeriod period = query.Period("period", rule is null || rule.Period == SignalPeriodKind.AllTime ? SignalPeriod.AllTime : SignalPeriod.Containing(today, rule.Period));
        if (query.Problems.Count > 0)
        {
            return DashboardApi.InvalidQuery(Name, query.Problems);
        }

        SignalDelta? national;
        List<(string Trust, SignalDelta Totals)> trusts;
        try
        {
            Task<IReadOnlyList<(SignalKey Key, SignalRow Row)>> nationalRead = store.QueryAsync(procedure!.ProcedureCode, period, SignalScopeFilter.Exactly(SignalScope.National), cancellationToken);
            Task<IReadOnlyList<(SignalKey Key, SignalRow Row)>> trustRead = store.QueryAsync(procedure.ProcedureCode, period, SignalScopeFilter.AllOf(SignalScopeKind.Trust), cancellationToken);
            national = (await nationalRead.ConfigureAwait(false)).Select(r => r.Row.Totals).FirstOrDefault();
            trusts = [.. (await trustRead.ConfigureAwait(false)).Select(r => (r.Key.Scope.Value!, r.Row.Totals))];
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalRowFormatException)
        {
            LogStorageFailure(loggers.CreateLogger(typeof(GetFunnelFunction)), ex, procedure!.ProcedureCode, period.ToString());
            return DashboardApi.StorageUnavailable(Name, ex);
        }

        FunnelReport report = FunnelReport.Create(procedure, rule!, period, national, trusts, caller);
        return DashboardApi.Answer(StatusCodes.Status200OK, report, $"{Name}: {rule!.Id} {period} for {report.Viewer.Role}: {report.Trusts.Count} of {trusts.Count} trust(s) shown");
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "GetFunnel could not read signal rows for {Procedure} {Period}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string procedure, string period);
}
