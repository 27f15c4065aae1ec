using Microsoft.Extensions.Logging;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>What one evaluation did (counts only; logged and returned to the host).</summary>
/// <param name="Partitions">Signal partitions evaluated (with rules for their procedure).</param>
/// <param name="Skipped">Partitions skipped because the rules file has no rules for their procedure.</param>
/// <param name="Findings">Findings, including severity None.</param>
/// <param name="Raised">New alerts.</param>
/// <param name="Escalated">Warning → alarm.</param>
/// <param name="Reopened">Resolved alerts that fired again with worse numbers.</param>
/// <param name="Updated">Alerts whose evidence changed without a send.</param>
/// <param name="Enqueued">Notifications put on the governance-alerts queue (new sends and recovered ones).</param>
/// <param name="ChartMonths">Cohort months added to CUSUM charts.</param>
public sealed record EvaluationSummary(int Partitions, int Skipped, int Findings, int Raised, int Escalated, int Reopened, int Updated, int Enqueued, int ChartMonths);

/// <summary>
/// Evaluates signal partitions against the rules and turns the findings into stored alerts and queued sends:
/// <list type="number">
/// <item>read the whole partition (national, every trust, every device: funnel rules need the national rate) and run
/// <see cref="RuleEvaluator.Evaluate"/>;</item>
/// <item>read the partition's stored alerts, decide with <see cref="AlertDecider"/>, and store each decision that
/// changes something through the <see cref="AlertOutbox"/> (a send is written with the row, then enqueued, then cleared);
/// sends that a crash left in the outbox of the alerts read are enqueued too;</item>
/// <item>for month partitions, advance each of the partition's trusts' CUSUM charts over the mature months not yet
/// charted, store the alerts of any signal, and only then store the chart (so a crash never loses a signal: the
/// chart is re-advanced from its old state and gives the same finding, which then changes nothing).</item>
/// </list>
/// Every write is ETag-conditional; a conflicting writer (another invocation, a reviewer) makes this read again and
/// decide again. Safe to run any number of times, concurrently: the same signals give no second send.
/// </summary>
public sealed partial class SignalEvaluation
{
    private const int MaxConflictAttempts = 5;
    private readonly SignalRuleSet _rules;
    private readonly SignalTableStore _signals;
    private readonly SignalPartitions _partitions;
    private readonly AlertStore _alerts;
    private readonly AlertOutbox _outbox;
    private readonly CusumChartStore _charts;
    private readonly TimeProvider _time;
    private readonly ILogger<SignalEvaluation> _logger;

    /// <summary>Creates the evaluation service.</summary>
    public SignalEvaluation(
        SignalRuleSet rules,
        SignalTableStore signals,
        SignalPartitions partitions,
        AlertStore alerts,
        AlertOutbox outbox,
        CusumChartStore charts,
        TimeProvider time,
        ILogger<SignalEvaluation> logger)
    {
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _signals = signals ?? throw new ArgumentNullException(nameof(signals));
        _partitions = partitions ?? throw new ArgumentNullException(nameof(partitions));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _charts = charts ?? throw new ArgumentNullException(nameof(charts));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Evaluates every partition of the Signals table, then enqueues every send still waiting in an outbox.</summary>
    public async Task<EvaluationSummary> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SignalKey> partitions = await _partitions.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var tally = await EvaluateCoreAsync(partitions.Select(p => (p.Procedure, p.Period)), cancellationToken).ConfigureAwait(false);
        tally.Enqueued += await _outbox.FlushAllAsync(cancellationToken).ConfigureAwait(false);
        return tally.ToSummary();
    }

    /// <summary>Evaluates the given partitions (duplicates are evaluated once).</summary>
    public async Task<EvaluationSummary> EvaluateAsync(IEnumerable<(string Procedure, SignalPeriod Period)> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        return (await EvaluateCoreAsync(partitions, cancellationToken).ConfigureAwait(false)).ToSummary();
    }

    private async Task<Tally> EvaluateCoreAsync(IEnumerable<(string Procedure, SignalPeriod Period)> partitions, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var asOf = DateOnly.FromDateTime(now.UtcDateTime);
        var tally = new Tally();
        var chartTrusts = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach ((string procedure, SignalPeriod period) in partitions.Distinct().OrderBy(p => p.Procedure, StringComparer.Ordinal).ThenBy(p => p.Period))
        {
            ProcedureRules? rules = _rules.For(procedure);
            if (rules is null)
            {
                tally.Skipped++;
                continue;
            }

            IReadOnlyList<(SignalKey Key, SignalRow Row)> rows = await _signals.QueryAsync(procedure, period, SignalScopeFilter.Any, cancellationToken).ConfigureAwait(false);
            var snapshot = new SignalSnapshot(procedure, period, [.. rows.Select(r => new ScopedRow(r.Key.Scope, r.Row.Totals))], asOf);
            IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(rules, snapshot);
            tally.Partitions++;
            tally.Findings += findings.Count;
            IReadOnlyDictionary<AlertId, StoredAlert> stored = await _alerts.GetPeriodAsync(procedure, period, cancellationToken).ConfigureAwait(false);
            await DecideAndStoreAsync(findings, stored, (procedure, period), now, tally, cancellationToken).ConfigureAwait(false);

            if (period.Kind == SignalPeriodKind.Month && rules.Rules.OfType<CusumRule>().Any())
            {
                if (!chartTrusts.TryGetValue(procedure, out SortedSet<string>? trusts))
                {
                    chartTrusts[procedure] = trusts = new SortedSet<string>(StringComparer.Ordinal);
                }

                foreach ((SignalKey key, _) in rows.Where(r => r.Key.Scope.Kind == SignalScopeKind.Trust))
                {
                    trusts.Add(key.Scope.Value!);
                }
            }
        }

        foreach ((string procedure, SortedSet<string> trusts) in chartTrusts)
        {
            ProcedureRules rules = _rules.For(procedure)!;
            var months = new MonthIndex(_partitions, _signals, procedure);
            foreach (CusumRule rule in rules.Rules.OfType<CusumRule>())
            {
                foreach (string trust in trusts)
                {
                    await AdvanceChartAsync(rule, procedure, SignalScope.Trust(trust), months, now, asOf, tally, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        LogEvaluated(_logger, tally.Partitions, tally.Findings, tally.Raised + tally.Escalated + tally.Reopened, tally.Enqueued);
        return tally;
    }

    /// <summary>
    /// Decides every finding against its stored alert (findings of one id in order) and stores what changes, re-reading
    /// and deciding again when another writer got there first. Also flushes outboxes left full by a crash.
    /// <paramref name="stored"/> holds every alert of the <paramref name="covered"/> procedure and period (one range
    /// query), so a finding of that partition missing from it has no alert and needs no point read (most findings:
    /// each rule for each trust that does not fire). An alert created meanwhile by another writer makes the insert
    /// conflict, which re-reads and decides again.
    /// </summary>
    private async Task DecideAndStoreAsync(IReadOnlyList<Finding> findings, IReadOnlyDictionary<AlertId, StoredAlert> stored, (string Procedure, SignalPeriod Period)? covered, DateTimeOffset now, Tally tally, CancellationToken cancellationToken)
    {
        var handled = new HashSet<AlertId>();
        foreach (IGrouping<AlertId, Finding> group in findings.GroupBy(AlertId.For))
        {
            handled.Add(group.Key);
            Finding first = group.First();
            bool inCoveredRange = covered is { } range && first.Procedure == range.Procedure && first.Period == range.Period;
            StoredAlert? current = stored.TryGetValue(group.Key, out StoredAlert? known)
                ? known
                : inCoveredRange ? null : await _alerts.GetAsync(group.Key, cancellationToken).ConfigureAwait(false);
            for (int attempt = 1; ; attempt++)
            {
                var previous = current is null ? new Dictionary<AlertId, AlertState>() : new Dictionary<AlertId, AlertState> { [group.Key] = current.State };
                IReadOnlyList<AlertDecision> decisions = AlertDecider.DecideAll(previous, group, now);
                if (decisions.Count == 0)
                {
                    if (current is not null)
                    {
                        tally.Enqueued += await _outbox.FlushAsync(current, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                AlertDecision decision = decisions[0];
                try
                {
                    StoredAlert saved = await _outbox.RecordAsync(current, decision, cancellationToken).ConfigureAwait(false);
                    tally.Count(decision.Kind);
                    if (decision.Send)
                    {
                        LogSend(_logger, decision.Kind.ToString(), saved.Id.Value, saved.State.Sends, saved.State.Severity.ToString());
                    }

                    tally.Enqueued += await _outbox.FlushAsync(saved, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (AlertConflictException) when (attempt < MaxConflictAttempts)
                {
                    LogConflict(_logger, group.Key.Value, attempt);
                    current = await _alerts.GetAsync(group.Key, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (StoredAlert alert in stored.Values.Where(a => a.PendingSends.Count > 0 && !handled.Contains(a.Id)))
        {
            tally.Enqueued += await _outbox.FlushAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AdvanceChartAsync(CusumRule rule, string procedure, SignalScope trust, MonthIndex months, DateTimeOffset now, DateOnly asOf, Tally tally, CancellationToken cancellationToken)
    {
        SignalPeriod latestMature = LatestMatureMonth(rule.MaturityMonths, asOf);
        for (int attempt = 1; ; attempt++)
        {
            StoredCusumChart chart = await _charts.GetAsync(procedure, rule.Id, trust, cancellationToken).ConfigureAwait(false);
            if (chart.State.LastMonth is { } last && last >= latestMature)
            {
                return;
            }

            IReadOnlyList<CusumMonth> pending = await months.ReadAsync(rule, trust, chart.State.LastMonth, latestMature, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                return;
            }

            CusumAdvance advance = CusumChart.Advance(rule, procedure, trust, chart.State, pending, asOf);
            if (advance.MonthsAdded.Count == 0)
            {
                return;
            }

            // Alerts first, chart second: a crash in between re-advances the old chart to the same signal next time.
            if (advance.Findings.Count > 0)
            {
                tally.Findings += advance.Findings.Count;
                await DecideAndStoreAsync(advance.Findings, new Dictionary<AlertId, StoredAlert>(), covered: null, now, tally, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await _charts.SaveAsync(procedure, rule.Id, trust, advance.State, chart.ETag, cancellationToken).ConfigureAwait(false);
                tally.ChartMonths += advance.MonthsAdded.Count;
                return;
            }
            catch (AlertConflictException) when (attempt < MaxConflictAttempts)
            {
                LogConflict(_logger, $"{procedure}/{rule.Id}/{trust}", attempt); // another evaluation advanced it: start from its state
            }
        }
    }

    /// <summary>The last cohort month that <see cref="CusumChart.IsMature"/> allows on <paramref name="asOf"/>.</summary>
    internal static SignalPeriod LatestMatureMonth(int maturityMonths, DateOnly asOf)
    {
        SignalPeriod month = SignalPeriod.Containing(asOf.AddMonths(-maturityMonths), SignalPeriodKind.Month);
        while (!CusumChart.IsMature(month, maturityMonths, asOf))
        {
            month = SignalPeriod.Containing(month.FirstDay.AddDays(-1), SignalPeriodKind.Month);
        }

        return month;
    }

    /// <summary>A procedure's month partitions (listed once per evaluation) and point reads of one trust's month rows.</summary>
    private sealed class MonthIndex(SignalPartitions partitions, SignalTableStore signals, string procedure)
    {
        private IReadOnlyList<SignalPeriod>? _months;

        public async Task<IReadOnlyList<CusumMonth>> ReadAsync(CusumRule rule, SignalScope trust, SignalPeriod? after, SignalPeriod through, CancellationToken cancellationToken)
        {
            _months ??= [.. (await partitions.ListAsync(procedure, cancellationToken).ConfigureAwait(false))
                .Select(k => k.Period)
                .Where(p => p.Kind == SignalPeriodKind.Month)
                .Order()];
            var result = new List<CusumMonth>();
            foreach (SignalPeriod month in _months.Where(m => (after is not { } a || m > a) && m <= through))
            {
                SignalRow? row = await signals.GetAsync(SignalKey.Create(procedure, month, trust), cancellationToken).ConfigureAwait(false);
                if (row is not null)
                {
                    result.Add(CusumMonth.FromRow(rule, month, row.Totals));
                }
            }

            return result;
        }
    }

    private sealed class Tally
    {
        public int Partitions;
        public int Skipped;
        public int Findings;
        public int Raised;
        public int Escalated;
        public int Reopened;
        public int Updated;
        public int Enqueued;
        public int ChartMonths;

        public void Count(AlertDecisionKind kind)
        {
            switch (kind)
            {
                case AlertDecisionKind.Raise: Raised++; break;
                case AlertDecisionKind.Escalate: Escalated++; break;
                case AlertDecisionKind.Reopen: Reopened++; break;
                case AlertDecisionKind.UpdateEvidence: Updated++; break;
                default: break;
            }
        }

        public EvaluationSummary ToSummary() => new(Partitions, Skipped, Findings, Raised, Escalated, Reopened, Updated, Enqueued, ChartMonths);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Evaluated {Partitions} signal partition(s): {Findings} finding(s), {Sends} new send(s), {Enqueued} notification(s) enqueued")]
    private static partial void LogEvaluated(ILogger logger, int partitions, int findings, int sends, int enqueued);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "{Kind} alert {AlertId} (send {Send}, {Severity})")]
    private static partial void LogSend(ILogger logger, string kind, string alertId, int send, string severity);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "{Key} changed under this evaluation (attempt {Attempt}); reading it again")]
    private static partial void LogConflict(ILogger logger, string key, int attempt);
}
