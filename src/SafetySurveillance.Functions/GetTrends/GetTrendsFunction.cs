using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetTrends;

/// <summary>
/// <c>GET /api/trends?procedure=A48.4&amp;signal={rule id}&amp;trust={ODS}&amp;from=2024-01&amp;to=2026-10</c>: a signal's
/// monthly rate (Wilson 95 % intervals) nationally and for one trust, and the trust's CUSUM chart with its threshold.
/// <c>signal</c> defaults to the first funnel rule (else rate, else CUSUM rule); <c>to</c> to the current month and
/// <c>from</c> to 35 months before it (at most 120 months). A governance lead's <c>trust</c> defaults to their own and
/// any other trust is refused with 403; a reviewer without <c>trust</c> gets the national series only. Reads one row
/// per month and scope (point reads, concurrently).
/// </summary>
public static partial class GetTrendsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetTrends";

    /// <summary>Months shown when <c>from</c> is not given.</summary>
    public const int DefaultMonths = 36;

    /// <summary>The longest range allowed.</summary>
    public const int MaxMonths = 120;

    private const int ConcurrentReads = 16;

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

        var query = new DashboardQuery(request.Query, "procedure", "signal", "trust", "from", "to");
        ProcedureRules? procedure = query.Procedure("procedure", rules);
        var trendable = procedure?.Rules.Where(r => TrendSignal.Counts(r) is not null).ToList() ?? [];
        SignalRule? rule = null;
        if (procedure is not null)
        {
            string? id = query.Value("signal");
            rule = id is null
                ? trendable.OfType<FunnelRule>().FirstOrDefault() ?? trendable.OfType<RateRule>().FirstOrDefault() ?? trendable.FirstOrDefault()
                : trendable.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
            if (rule is null)
            {
                query.Problem("signal", trendable.Count == 0
                    ? $"No rate, funnel or CUSUM rule is configured for {procedure.ProcedureCode}."
                    : $"Not a signal of {procedure.ProcedureCode} with a numerator and denominator; they are {string.Join(", ", trendable.Select(r => r.Id))}.");
            }
        }

        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        SignalPeriod to = query.Month("to", SignalPeriod.Containing(today, SignalPeriodKind.Month));
        SignalPeriod from = query.Month("from", Shift(to, -(DefaultMonths - 1)));
        int span = ((to.Year - from.Year) * 12) + to.Number - from.Number + 1;
        if (span < 1)
        {
            query.Problem("from", "from must not be after to.");
        }
        else if (span > MaxMonths)
        {
            query.Problem("from", $"At most {MaxMonths} months at a time.");
        }

        string? trust = query.Trust("trust");
        if (query.Problems.Count > 0)
        {
            return DashboardApi.InvalidQuery(Name, query.Problems);
        }

        trust ??= caller.Role == CallerRole.GovernanceLead ? caller.TrustOds : null;
        if (trust is not null && !caller.MaySeeTrust(trust))
        {
            return DashboardApi.Denied(Name, Authentication.Deny(StatusCodes.Status403Forbidden, "A governance lead may see only their own trust's figures (and the national ones)."));
        }

        (SignalCount numerator, SignalCount denominator) = TrendSignal.Counts(rule!)!.Value;
        var months = Enumerable.Range(0, span).Select(i => Shift(from, i)).ToList();
        SignalDelta?[] national;
        SignalDelta?[]? trustRows = null;
        try
        {
            using var gate = new SemaphoreSlim(ConcurrentReads);
            Task<SignalDelta?[]> nationalRead = ReadMonthsAsync(store, gate, procedure!.ProcedureCode, months, SignalScope.National, cancellationToken);
            Task<SignalDelta?[]>? trustRead = trust is null ? null : ReadMonthsAsync(store, gate, procedure.ProcedureCode, months, SignalScope.Trust(trust), cancellationToken);
            national = await nationalRead.ConfigureAwait(false);
            trustRows = trustRead is null ? null : await trustRead.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalRowFormatException)
        {
            LogStorageFailure(loggers.CreateLogger(typeof(GetTrendsFunction)), ex, procedure!.ProcedureCode, from.ToString(), to.ToString());
            return DashboardApi.StorageUnavailable(Name, ex);
        }

        TrendSeries? trustSeries = null;
        CusumSeries? cusum = null;
        if (trust is not null && trustRows is not null)
        {
            trustSeries = new TrendSeries(trust, [.. months.Select((m, i) => TrendPoint.Of(m, trustRows[i]?[numerator] ?? 0, trustRows[i]?[denominator] ?? 0))]);
            var cusumRules = procedure.Rules.OfType<CusumRule>().ToList();
            CusumRule? cusumRule = cusumRules.FirstOrDefault(c => c.Numerator == numerator && c.Denominator == denominator) ?? cusumRules.FirstOrDefault();
            if (cusumRule is not null)
            {
                cusum = CusumSeries.Create(cusumRule, trust, [.. months.Select((m, i) => (m, trustRows[i]))], today);
            }
        }

        var report = new TrendReport(
            procedure.ProcedureCode,
            Viewer.Of(caller),
            TrendSignal.Of(rule!)!,
            [.. trendable.Select(r => TrendSignal.Of(r)!)],
            from.ToString(),
            to.ToString(),
            Proportion.Confidence,
            [.. months.Select((m, i) => TrendPoint.Of(m, national[i]?[numerator] ?? 0, national[i]?[denominator] ?? 0))],
            trustSeries,
            cusum);
        return DashboardApi.Answer(StatusCodes.Status200OK, report, $"{Name}: {rule!.Id} {from}..{to} national{(trust is null ? string.Empty : " + trust")} for {report.Viewer.Role}");
    }

    /// <summary>The month <paramref name="months"/> after (or before) <paramref name="month"/>.</summary>
    internal static SignalPeriod Shift(SignalPeriod month, int months)
    {
        DateOnly first = month.FirstDay.AddMonths(months);
        return SignalPeriod.Month(first.Year, first.Month);
    }

    private static async Task<SignalDelta?[]> ReadMonthsAsync(SignalTableStore store, SemaphoreSlim gate, string procedure, IReadOnlyList<SignalPeriod> months, SignalScope scope, CancellationToken cancellationToken)
    {
        var reads = months.Select(async month =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                IReadOnlyList<(SignalKey Key, SignalRow Row)> rows = await store.QueryAsync(procedure, month, SignalScopeFilter.Exactly(scope), cancellationToken).ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0].Row.Totals;
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(reads).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "GetTrends could not read signal rows for {Procedure} {From}..{To}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string procedure, string from, string to);
}
