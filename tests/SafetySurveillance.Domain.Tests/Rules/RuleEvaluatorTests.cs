using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using Xunit;
using static SafetySurveillance.Domain.Tests.Rules.RowBuilder;

namespace SafetySurveillance.Domain.Tests.Rules;

/// <summary>
/// Worked examples: Wilson values from domain-anchors §5.1 / docs/statistics.md §2.3 (statsmodels oracle),
/// funnel limits from §5.2 (R oracle), the twelve-trust funnel from docs/statistics.md §2.4.
/// </summary>
public sealed class RuleEvaluatorTests
{
    private const string RateRule = """{ "id": "serious-related-rate", "kind": "rate", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "benchmark": 0.039, "warningConfidence": 0.95, "alarmConfidence": 0.998, "minimumDenominator": 20, "scopes": ["trust"], "reason": "ReActiv8-B 3.9 %" }""";

    private static readonly DateOnly AsOf = new(2026, 6, 1);

    [Fact]
    public void The_reactiv8_b_rate_itself_does_not_fire_against_its_own_benchmark()
    {
        // 8/204 = 3.92 %: the Wilson 95 % lower bound 0.0200028539 is below 3.9 %.
        Finding finding = Assert.Single(RuleEvaluator.Evaluate(RulesOf(RateRule), AllTime(Trust("RX1", Row(204, withSeriousRelated: 8)))));

        Assert.Equal(Severity.None, finding.Severity);
        Assert.Equal(8, finding.Evidence.Numerator);
        Assert.Equal(204, finding.Evidence.Denominator);
        Assert.Equal(8 / 204.0, finding.Evidence.Rate!.Value, 1e-15);
        Assert.Equal(0.0200028539, finding.Evidence.IntervalLower!.Value, 1e-10);
        Assert.Equal(0.0754615397, finding.Evidence.IntervalUpper!.Value, 1e-10);
        Assert.Equal(0.039, finding.Evidence.Benchmark);
    }

    [Fact]
    public void Four_in_twenty_six_is_a_warning_but_not_an_alarm()
    {
        // 95 % lower bound 0.0615003372 > 0.039; the 99.8 % lower bound is 0.03799 < 0.039.
        Finding finding = Assert.Single(RuleEvaluator.Evaluate(RulesOf(RateRule), AllTime(Trust("RX1", Row(26, withSeriousRelated: 4)))));

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(0.95, finding.Evidence.Confidence);
        Assert.Equal(0.0615003372, finding.Evidence.IntervalLower!.Value, 1e-10);
        Assert.Equal(0.3353119933, finding.Evidence.IntervalUpper!.Value, 1e-10);
        Assert.Contains("above the benchmark 3.9 %", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_in_thirty_is_an_alarm_and_shows_the_99_8_percent_interval()
    {
        Finding finding = Assert.Single(RuleEvaluator.Evaluate(RulesOf(RateRule), AllTime(Trust("RX1", Row(30, withSeriousRelated: 10)))));

        Assert.Equal(Severity.Alarm, finding.Severity);
        Assert.Equal(0.998, finding.Evidence.Confidence);
        Assert.Equal(0.138466, finding.Evidence.IntervalLower!.Value, 1e-6);
    }

    [Fact]
    public void Below_the_minimum_denominator_a_rate_rule_gives_no_finding_at_all()
    {
        // 10 of 19 would be an alarm, but 19 patients is below the minimum of 20.
        Assert.Empty(RuleEvaluator.Evaluate(RulesOf(RateRule), AllTime(Trust("RX1", Row(19, withSeriousRelated: 10)))));
    }

    [Fact]
    public void Only_the_scopes_a_rule_names_are_evaluated()
    {
        SignalSnapshot snapshot = AllTime(National(Row(100, 50)), Trust("RX1", Row(30, 10)), new ScopedRow(SignalScope.Device("05012345678900"), Row(30, 10)));

        Finding finding = Assert.Single(RuleEvaluator.Evaluate(RulesOf(RateRule), snapshot));

        Assert.Equal(SignalScope.Trust("RX1"), finding.Scope);
    }

    [Fact]
    public void A_death_in_a_trust_month_is_an_alarm_at_once_and_a_quiet_trust_is_none()
    {
        ProcedureRules rules = RulesOf("""{ "id": "death-sentinel", "kind": "sentinel", "count": "Deaths", "reason": "any death" }""");
        SignalSnapshot month = Snapshot(SignalPeriod.Month(2025, 1), AsOf, National(Row(5, deaths: 1)), Trust("RX1", Row(3, deaths: 1)), Trust("RY2", Row(2)));

        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(rules, month);

        Assert.Equal(2, findings.Count);
        Finding rx1 = findings.Single(f => f.Scope == SignalScope.Trust("RX1"));
        Assert.Equal(Severity.Alarm, rx1.Severity);
        Assert.Equal(new Evidence(1, 3), rx1.Evidence);
        Assert.Equal(SignalPeriod.Month(2025, 1), rx1.Period);
        Assert.Equal("sentinel", rx1.RuleKind);
        Assert.Equal(Severity.None, findings.Single(f => f.Scope == SignalScope.Trust("RY2")).Severity);
    }

    [Fact]
    public void An_unanticipated_serious_device_event_is_a_sentinel_but_an_anticipated_one_is_not()
    {
        ProcedureRules rules = RulesOf("""{ "id": "unanticipated", "kind": "sentinel", "count": "UnanticipatedSeriousDeviceRelated", "reason": "r" }""");
        SignalSnapshot month = Snapshot(SignalPeriod.Month(2025, 1), AsOf, Trust("RX1", Row(3, withSeriousRelated: 2)), Trust("RY2", Row(3, unanticipatedSeriousDevice: 1)));

        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(rules, month);

        Assert.Equal(Severity.None, findings.Single(f => f.Scope == SignalScope.Trust("RX1")).Severity);
        Assert.Equal(Severity.Alarm, findings.Single(f => f.Scope == SignalScope.Trust("RY2")).Severity);
    }

    [Fact]
    public void A_rule_reads_only_rows_of_its_own_period_kind()
    {
        ProcedureRules rules = RulesOf("""{ "id": "death-sentinel", "kind": "sentinel", "count": "Deaths", "reason": "any death" }""", RateRule);

        Assert.Equal(["serious-related-rate"], RuleEvaluator.Evaluate(rules, AllTime(Trust("RX1", Row(30, 10, deaths: 1)))).Select(f => f.RuleId));
        Assert.Equal(["death-sentinel"], RuleEvaluator.Evaluate(rules, Snapshot(SignalPeriod.Month(2025, 1), AsOf, Trust("RX1", Row(30, 10, deaths: 1)))).Select(f => f.RuleId));
    }

    [Fact]
    public void Rows_of_another_procedure_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RuleEvaluator.Evaluate(RulesOf(RateRule), new SignalSnapshot("A70.1", SignalPeriod.AllTime, [], AsOf)));
    }

    [Theory]
    [InlineData(10, Severity.None)]
    [InlineData(17, Severity.Warning)] // 8.5 % > 7.9708 % (95 %), < 10.1178 % (99.8 %)
    [InlineData(21, Severity.Alarm)] // 10.5 % > 10.1178 %
    public void Against_a_5_percent_benchmark_a_trust_of_200_is_placed_by_the_exact_limits(int events, Severity expected)
    {
        ProcedureRules rules = RulesOf("""{ "id": "funnel", "kind": "funnel", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "target": "benchmark", "benchmark": 0.05, "minimumDenominator": 10, "reason": "r" }""");

        Finding finding = Assert.Single(RuleEvaluator.Evaluate(rules, AllTime(Trust("RX1", Row(200, events)))));

        Assert.Equal(expected, finding.Severity);
        Assert.Equal(0.079708, finding.Evidence.WarningLimit!.Value, 1e-6);
        Assert.Equal(0.101178, finding.Evidence.AlarmLimit!.Value, 1e-6);
        Assert.Equal(0.05, finding.Evidence.Benchmark);
        Assert.Null(finding.Evidence.Phi);
    }

    private static readonly (int Events, int Cases)[] TwelveTrusts =
    [
        (1, 100), (2, 80), (3, 120), (5, 90), (8, 110), (12, 100), (15, 150), (20, 200), (4, 60), (6, 75), (9, 130), (25, 160),
    ];

    private static SignalSnapshot TwelveTrustSnapshot()
    {
        var rows = new List<ScopedRow> { National(Row(1375, 110)) };
        for (int i = 0; i < TwelveTrusts.Length; i++)
        {
            rows.Add(Trust("R" + (char)('A' + i) + "1", Row(TwelveTrusts[i].Cases, TwelveTrusts[i].Events)));
        }

        return AllTime([.. rows]);
    }

    private static string NationalFunnel(int minimumUnits) => $$"""{ "id": "funnel", "kind": "funnel", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "target": "national", "overdispersion": "multiplicative", "minimumUnitsForOverdispersion": {{minimumUnits}}, "minimumDenominator": 10, "reason": "r" }""";

    [Fact]
    public void Over_dispersion_turns_the_high_trust_from_alarm_to_warning_when_there_are_enough_trusts()
    {
        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(RulesOf(NationalFunnel(10)), TwelveTrustSnapshot());

        Assert.Equal(12, findings.Count);
        Finding high = findings.Single(f => f.Scope == SignalScope.Trust("RL1"));
        Assert.Equal(Severity.Warning, high.Severity);
        Assert.Equal(0.08, high.Evidence.Benchmark!.Value, 1e-15);
        Assert.Equal(0.1342, high.Evidence.WarningLimit!.Value, 1e-4);
        Assert.Equal(0.1655, high.Evidence.AlarmLimit!.Value, 1e-4);
        Assert.Equal(1.66, high.Evidence.Phi!.Value, 0.01);

        // Low trusts below the lower limit are not a safety signal: only the upper side fires.
        Assert.Equal([Severity.None], findings.Where(f => f.Scope != SignalScope.Trust("RL1")).Select(f => f.Severity).Distinct());
    }

    [Fact]
    public void With_fewer_trusts_than_the_over_dispersion_minimum_the_exact_limits_make_it_an_alarm()
    {
        Finding high = RuleEvaluator.Evaluate(RulesOf(NationalFunnel(13)), TwelveTrustSnapshot()).Single(f => f.Scope == SignalScope.Trust("RL1"));

        Assert.Equal(Severity.Alarm, high.Severity);
        Assert.Equal(0.1499, high.Evidence.AlarmLimit!.Value, 1e-4);
        Assert.Null(high.Evidence.Phi);
    }

    [Fact]
    public void A_national_funnel_without_a_national_row_gives_no_findings()
    {
        SignalSnapshot noNational = AllTime([.. TwelveTrustSnapshot().Rows.Where(r => r.Scope.Kind != SignalScopeKind.National)]);

        Assert.Empty(RuleEvaluator.Evaluate(RulesOf(NationalFunnel(10)), noNational));
    }

    [Fact]
    public void A_national_rate_of_zero_places_every_trust_without_an_event_within_its_limits()
    {
        SignalSnapshot snapshot = AllTime(National(Row(60)), Trust("RX1", Row(30)), Trust("RY2", Row(30)));

        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(RulesOf(NationalFunnel(10)), snapshot);

        Assert.Equal([Severity.None, Severity.None], findings.Select(f => f.Severity));
        Assert.All(findings, f => Assert.Equal(0.0, f.Evidence.AlarmLimit));
    }

    private const string FollowUpRule = """{ "id": "follow-up-12-months", "kind": "follow-up", "targetCompleteness": 0.8, "confidence": 0.95, "graceMonths": 1, "minimumDue": 10, "reason": "NNR ~55 %" }""";

    [Theory]
    [InlineData(10, Severity.Alarm)] // 50 %, upper bound 70.07 % < 80 %
    [InlineData(15, Severity.Warning)] // 75 % < 80 %, upper bound 88.81 %
    [InlineData(17, Severity.None)] // 85 %
    public void Twelve_month_follow_up_below_target_warns_and_alarms_when_even_the_upper_bound_is_below(int received, Severity expected)
    {
        // 20 procedures in January 2025, due on 28 February 2026 (31 January + 12 months + 1 month grace).
        Finding finding = Assert.Single(RuleEvaluator.Evaluate(RulesOf(FollowUpRule), AllTime(Trust("RX1", Row(20, twelveMonthReports: received)))));

        Assert.Equal(expected, finding.Severity);
        Assert.Equal(20 - received, finding.Evidence.Numerator);
        Assert.Equal(20, finding.Evidence.Denominator);
        Assert.Equal(1 - (received / 20.0), finding.Evidence.Rate!.Value, 1e-12);
        Assert.Equal(0.2, finding.Evidence.Benchmark!.Value, 1e-12);
    }

    [Fact]
    public void Follow_up_that_is_not_yet_due_is_not_judged()
    {
        SignalSnapshot early = Snapshot(SignalPeriod.AllTime, new DateOnly(2026, 2, 27), Trust("RX1", Row(20)));
        SignalSnapshot due = Snapshot(SignalPeriod.AllTime, new DateOnly(2026, 2, 28), Trust("RX1", Row(20)));

        Assert.Empty(RuleEvaluator.Evaluate(RulesOf(FollowUpRule), early));
        Assert.Equal(Severity.Alarm, Assert.Single(RuleEvaluator.Evaluate(RulesOf(FollowUpRule), due)).Severity);
    }

    [Fact]
    public void The_default_rules_evaluate_a_realistic_all_time_partition()
    {
        SignalRulesLoadResult loaded = SignalRulesLoader.Parse(File.ReadAllText(RepositoryFile("config/signal-rules.json")));
        ProcedureRules rules = loaded.Rules!.For("A48.4")!;
        SignalSnapshot snapshot = AllTime(National(Row(300, 14, twelveMonthReports: 170)), Trust("RX1", Row(150, 3, twelveMonthReports: 120)), Trust("RY2", Row(150, 11, twelveMonthReports: 50)));

        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(rules, snapshot);

        // RY2: 11/150 = 7.3 %, Wilson 95 % lower bound 4.1 % > 3.9 %: a rate warning; 50/150 follow-up: an alarm.
        Assert.Equal(Severity.Warning, findings.Single(f => f.RuleId == "serious-related-rate" && f.Scope == SignalScope.Trust("RY2")).Severity);
        Assert.Equal(Severity.Alarm, findings.Single(f => f.RuleId == "follow-up-12-months" && f.Scope == SignalScope.Trust("RY2")).Severity);
        Assert.Equal(Severity.None, findings.Single(f => f.RuleId == "follow-up-12-months" && f.Scope == SignalScope.Trust("RX1")).Severity);
        Assert.DoesNotContain(findings, f => f.RuleKind is "sentinel" or "cusum");
    }
}
