using NJsonSchema;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Rules;

public sealed class SignalRulesLoaderTests
{
    private const string Sentinel = """{ "id": "death", "kind": "sentinel", "count": "Deaths", "reason": "any death" }""";
    private const string Rate = """{ "id": "rate", "kind": "rate", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "benchmark": 0.039, "warningConfidence": 0.95, "minimumDenominator": 20, "reason": "ReActiv8-B" }""";

    private static IReadOnlyList<RuleProblem> Problems(string json)
    {
        SignalRulesLoadResult result = SignalRulesLoader.Parse(json);
        Assert.False(result.Succeeded);
        Assert.Null(result.Rules);
        return result.Problems;
    }

    private static IReadOnlyList<RuleProblem> RuleProblems(string rule) => Problems(RowBuilder.RulesFile("A48.4", rule));

    private static void AssertProblem(IReadOnlyList<RuleProblem> problems, string path, string reasonContains)
        => Assert.Contains(problems, p => p.Path == path && p.Reason.Contains(reasonContains, StringComparison.Ordinal));

    [Fact]
    public void The_default_rules_file_loads_without_problems()
    {
        SignalRulesLoadResult result = SignalRulesLoader.Parse(File.ReadAllText(RowBuilder.RepositoryFile("config/signal-rules.json")));

        Assert.Empty(result.Problems);
        ProcedureRules rules = Assert.Single(result.Rules!.Procedures);
        Assert.Equal("A48.4", rules.ProcedureCode);
        Assert.Equal(["sentinel", "sentinel", "rate", "funnel", "cusum", "follow-up"], rules.Rules.Select(r => r.Kind));
        Assert.All(rules.Rules, r => Assert.True(r.Reason.Length > 40, r.Id + " needs a reason with its source"));
    }

    [Fact]
    public void The_default_cusum_threshold_is_designed_for_five_percent_false_signals_in_100_patients()
    {
        SignalRulesLoadResult result = SignalRulesLoader.Parse(File.ReadAllText(RowBuilder.RepositoryFile("config/signal-rules.json")));
        CusumRule cusum = result.Rules!.Procedures[0].Rules.OfType<CusumRule>().Single();

        Assert.Equal(new CusumThresholdDesign(0.05, 100), cusum.Design);
        Assert.Equal(CusumDesign.ThresholdForFalseSignalProbability(0.039, 2.0, 0.05, 100), cusum.Threshold);

        // Between the docs/statistics.md values for p0 = 0.02 (2.0209) and p0 = 0.04 (2.5926), near the latter.
        Assert.InRange(cusum.Threshold, 2.45, 2.5926);
        double falseSignal = CusumDesign.SignalProbability([new RiskShare(0.039, 1.0)], 2.0, cusum.Threshold, 100);
        Assert.InRange(falseSignal, 0.03, 0.0505);
    }

    [Fact]
    public async Task The_default_rules_file_is_valid_against_its_schema()
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(RowBuilder.RepositoryFile("config/signal-rules.schema.json"), TestContext.Current.CancellationToken);
        string json = await File.ReadAllTextAsync(RowBuilder.RepositoryFile("config/signal-rules.json"), TestContext.Current.CancellationToken);

        Assert.Empty(schema.Validate(json));
    }

    [Theory]
    [InlineData("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "typo": 1 }""")]
    [InlineData("""{ "id": "x", "kind": "rate", "numerator": "Deaths", "denominator": "Procedures", "benchmark": 1.5, "warningConfidence": 0.95, "minimumDenominator": 20, "reason": "r" }""")]
    [InlineData("""{ "id": "x", "kind": "cusum", "numerator": "Deaths", "denominator": "Procedures", "inControlRate": 0.05, "oddsRatio": 2, "maturityMonths": 3, "reason": "r" }""")]
    [InlineData("""{ "id": "x", "kind": "magic", "reason": "r" }""")]
    [InlineData("""{ "id": "X Y", "kind": "sentinel", "count": "Deaths", "reason": "r" }""")]
    public async Task The_schema_and_the_loader_both_refuse_a_broken_rule(string rule)
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(RowBuilder.RepositoryFile("config/signal-rules.schema.json"), TestContext.Current.CancellationToken);
        string json = RowBuilder.RulesFile("A48.4", rule);

        Assert.NotEmpty(schema.Validate(json));
        Assert.NotEmpty(Problems(json));
    }

    [Fact]
    public void Text_that_is_not_json_gives_one_problem_with_its_line()
    {
        RuleProblem problem = Assert.Single(Problems("{\n  \"schemaVersion\": 1,\n  oops\n}"));
        Assert.Equal("$", problem.Path);
        Assert.Contains("line 3", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_not_just_the_first()
    {
        string json = RowBuilder.RulesFile(
            "A48.4",
            """{ "id": "a", "kind": "rate", "numerator": "Deaths", "denominator": "Procedures", "benchmark": 0, "warningConfidence": 95, "minimumDenominator": 0, "reason": "r" }""",
            """{ "id": "a", "kind": "teleport", "reason": "r" }""",
            """{ "kind": "sentinel", "count": "Death", "reason": "r" }""");

        IReadOnlyList<RuleProblem> problems = Problems(json);

        AssertProblem(problems, "$.procedures[0].rules[0].benchmark", "strictly between 0 and 1");
        AssertProblem(problems, "$.procedures[0].rules[0].warningConfidence", "strictly between 0 and 1");
        AssertProblem(problems, "$.procedures[0].rules[0].minimumDenominator", "at least 1");
        AssertProblem(problems, "$.procedures[0].rules[1].kind", "Unknown rule kind 'teleport'");
        AssertProblem(problems, "$.procedures[0].rules[2].id", "required");
        AssertProblem(problems, "$.procedures[0].rules[2].count", "'Death' is not a signal counter");
        Assert.Equal(6, problems.Count);
    }

    [Fact]
    public void The_root_must_be_an_object_with_version_1_and_some_procedures()
    {
        AssertProblem(Problems("[]"), "$", "Expected an object");
        AssertProblem(Problems("""{ "procedures": [] }"""), "$.schemaVersion", "required");
        AssertProblem(Problems("""{ "schemaVersion": 2, "procedures": [] }"""), "$.schemaVersion", "Version 2 is not understood");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": [] }"""), "$.procedures", "At least one procedure");
        AssertProblem(Problems("""{ "schemaVersion": 1 }"""), "$.procedures", "required");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": {} }"""), "$.procedures", "Expected an array");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": [], "extra": true }"""), "$.extra", "Unknown property 'extra'");
    }

    [Fact]
    public void Procedure_codes_must_be_opcs_and_unique()
    {
        string twice = """{ "schemaVersion": 1, "procedures": [ { "procedureCode": "A48.4", "rules": [] }, { "procedureCode": "A48.4", "rules": [] } ] }""";
        AssertProblem(Problems(twice), "$.procedures[1].procedureCode", "appears more than once");
        AssertProblem(Problems(RowBuilder.RulesFile("a48", Sentinel)), "$.procedures[0].procedureCode", "not an OPCS-4 code");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": [ { "rules": [] } ] }"""), "$.procedures[0].procedureCode", "required");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": [ { "procedureCode": "A48.4" } ] }"""), "$.procedures[0].rules", "required");
        AssertProblem(Problems("""{ "schemaVersion": 1, "procedures": [ 7 ] }"""), "$.procedures[0]", "Expected an object, found the number 7");
    }

    [Fact]
    public void Rule_ids_must_be_unique_within_a_procedure_and_key_safe()
    {
        AssertProblem(Problems(RowBuilder.RulesFile("A48.4", Sentinel, Sentinel)), "$.procedures[0].rules[1].id", "used twice");
        AssertProblem(RuleProblems("""{ "id": "Death|1", "kind": "sentinel", "count": "Deaths", "reason": "r" }"""), "$.procedures[0].rules[0].id", "not a rule id");
        AssertProblem(RuleProblems("""{ "id": 5, "kind": "sentinel", "count": "Deaths", "reason": "r" }"""), "$.procedures[0].rules[0].id", "Expected a string");
    }

    [Fact]
    public void Every_rule_needs_a_kind_and_a_reason()
    {
        RuleProblem noKind = Assert.Single(RuleProblems("""{ "id": "x", "count": "Deaths", "reason": "r" }"""));
        Assert.Equal(new RuleProblem("$.procedures[0].rules[0].kind", "'kind' is required."), noKind);
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths" }"""), "$.procedures[0].rules[0].reason", "required");
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "  " }"""), "$.procedures[0].rules[0].reason", "Say why");
    }

    [Fact]
    public void An_unknown_rule_kind_names_the_known_ones_and_nothing_else()
    {
        RuleProblem problem = Assert.Single(RuleProblems("""{ "id": "x", "kind": "magic", "reason": "r", "anything": 1 }"""));
        Assert.Equal("$.procedures[0].rules[0].kind", problem.Path);
        Assert.Contains("'sentinel', 'rate', 'funnel', 'cusum', 'follow-up'", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_the_rule_kind_does_not_use_is_refused()
    {
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "benchmark": 0.1 }"""), "$.procedures[0].rules[0].benchmark", "Unknown property");
    }

    [Fact]
    public void Counters_periods_and_scopes_must_be_known()
    {
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "15", "reason": "r" }"""), "$.procedures[0].rules[0].count", "not a signal counter");
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "period": "week" }"""), "$.procedures[0].rules[0].period", "Unknown period 'week'");
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "scopes": ["ward"] }"""), "$.procedures[0].rules[0].scopes[0]", "Unknown scope 'ward'");
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "scopes": [] }"""), "$.procedures[0].rules[0].scopes", "non-empty array");
        AssertProblem(RuleProblems("""{ "id": "x", "kind": "sentinel", "count": "Deaths", "reason": "r", "scopes": ["trust", "trust"] }"""), "$.procedures[0].rules[0].scopes[1]", "listed twice");
    }

    [Fact]
    public void A_rate_rule_needs_its_thresholds_and_a_sensible_confidence_order()
    {
        IReadOnlyList<RuleProblem> missing = RuleProblems("""{ "id": "x", "kind": "rate", "reason": "r" }""");
        foreach (string property in new[] { "numerator", "denominator", "benchmark", "warningConfidence", "minimumDenominator" })
        {
            AssertProblem(missing, "$.procedures[0].rules[0]." + property, "required");
        }

        AssertProblem(
            RuleProblems("""{ "id": "x", "kind": "rate", "numerator": "Deaths", "denominator": "Procedures", "benchmark": 0.04, "warningConfidence": 0.99, "alarmConfidence": 0.95, "minimumDenominator": 5, "reason": "r" }"""),
            "$.procedures[0].rules[0].alarmConfidence",
            "higher than the warning confidence");
        AssertProblem(
            RuleProblems("""{ "id": "x", "kind": "rate", "numerator": "Deaths", "denominator": "Deaths", "benchmark": 0.04, "warningConfidence": 0.95, "minimumDenominator": 5, "reason": "r" }"""),
            "$.procedures[0].rules[0].denominator",
            "same counter");
        AssertProblem(
            RuleProblems("""{ "id": "x", "kind": "rate", "numerator": "Deaths", "denominator": "Procedures", "benchmark": "4%", "warningConfidence": 0.95, "minimumDenominator": 2.5, "reason": "r" }"""),
            "$.procedures[0].rules[0].minimumDenominator",
            "whole number");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(3.9)]
    public void Probabilities_must_lie_strictly_between_0_and_1(double value)
    {
        string v = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AssertProblem(
            RuleProblems($$"""{ "id": "x", "kind": "follow-up", "targetCompleteness": {{v}}, "confidence": 0.95, "minimumDue": 10, "reason": "r" }"""),
            "$.procedures[0].rules[0].targetCompleteness",
            "strictly between 0 and 1");
        AssertProblem(
            RuleProblems($$"""{ "id": "x", "kind": "cusum", "numerator": "Deaths", "denominator": "Procedures", "inControlRate": {{v}}, "oddsRatio": 2, "threshold": 3, "maturityMonths": 3, "reason": "r" }"""),
            "$.procedures[0].rules[0].inControlRate",
            "strictly between 0 and 1");
    }

    [Fact]
    public void A_funnel_rule_checks_its_target_adjustment_and_units()
    {
        const string Head = """ "id": "x", "kind": "funnel", "numerator": "Deaths", "denominator": "Procedures", "minimumDenominator": 10, "reason": "r" """;
        AssertProblem(RuleProblems("{" + Head + """, "target": "regional" }"""), "$.procedures[0].rules[0].target", "Unknown target 'regional'");
        AssertProblem(RuleProblems("{" + Head + """, "target": "benchmark" }"""), "$.procedures[0].rules[0].benchmark", "required");
        AssertProblem(RuleProblems("{" + Head + """, "target": "national", "benchmark": 0.05 }"""), "$.procedures[0].rules[0].benchmark", "takes no benchmark");
        AssertProblem(RuleProblems("{" + Head + """, "target": "national", "overdispersion": "huge" }"""), "$.procedures[0].rules[0].overdispersion", "Unknown over-dispersion");
        AssertProblem(RuleProblems("{" + Head + """, "target": "national", "scopes": ["national"] }"""), "$.procedures[0].rules[0].scopes", "'national' is the target");
        AssertProblem(RuleProblems("{" + Head + """, "target": "national", "minimumUnitsForOverdispersion": 1 }"""), "$.procedures[0].rules[0].minimumUnitsForOverdispersion", "at least 2");
    }

    [Fact]
    public void A_cusum_rule_needs_exactly_one_way_to_its_threshold()
    {
        const string Head = """ "id": "x", "kind": "cusum", "numerator": "Deaths", "denominator": "Procedures", "inControlRate": 0.05, "oddsRatio": 2, "maturityMonths": 3, "reason": "r" """;
        AssertProblem(RuleProblems("{" + Head + "}"), "$.procedures[0].rules[0].threshold", "Give either");
        AssertProblem(RuleProblems("{" + Head + """, "threshold": 3, "thresholdDesign": { "falseSignalProbability": 0.05, "patients": 100 } }"""), "$.procedures[0].rules[0].thresholdDesign", "not both");
        AssertProblem(RuleProblems("{" + Head + """, "threshold": -1 }"""), "$.procedures[0].rules[0].threshold", "h must be positive");
        AssertProblem(RuleProblems("{" + Head + """, "thresholdDesign": { "falseSignalProbability": 5, "patients": 0 } }"""), "$.procedures[0].rules[0].thresholdDesign.falseSignalProbability", "strictly between 0 and 1");
        AssertProblem(RuleProblems("{" + Head + """, "thresholdDesign": { "falseSignalProbability": 0.05, "patients": 0 } }"""), "$.procedures[0].rules[0].thresholdDesign.patients", "between 1 and 5000");
        AssertProblem(RuleProblems("{" + Head + """, "thresholdDesign": { "falseSignalProbability": 0.05, "patients": 100, "n": 1 } }"""), "$.procedures[0].rules[0].thresholdDesign.n", "Unknown property");
        AssertProblem(RuleProblems("{" + Head + """, "thresholdDesign": 0.05 }"""), "$.procedures[0].rules[0].thresholdDesign", "Expected an object");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(101.0)]
    public void A_cusum_odds_ratio_must_be_a_rise_in_risk(double oddsRatio)
    {
        string r = oddsRatio.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AssertProblem(
            RuleProblems($$"""{ "id": "x", "kind": "cusum", "numerator": "Deaths", "denominator": "Procedures", "inControlRate": 0.05, "oddsRatio": {{r}}, "threshold": 3, "maturityMonths": 3, "reason": "r" }"""),
            "$.procedures[0].rules[0].oddsRatio",
            "above 1");
    }

    [Fact]
    public void A_cusum_maturity_and_a_follow_up_grace_are_bounded()
    {
        AssertProblem(
            RuleProblems("""{ "id": "x", "kind": "cusum", "numerator": "Deaths", "denominator": "Procedures", "inControlRate": 0.05, "oddsRatio": 2, "threshold": 3, "maturityMonths": 40, "reason": "r" }"""),
            "$.procedures[0].rules[0].maturityMonths",
            "between 0 and 36");
        AssertProblem(
            RuleProblems("""{ "id": "x", "kind": "follow-up", "targetCompleteness": 0.8, "confidence": 0.95, "minimumDue": 10, "graceMonths": -1, "reason": "r" }"""),
            "$.procedures[0].rules[0].graceMonths",
            "between 0 and 12");
    }

    [Fact]
    public void A_fixed_threshold_is_kept_as_given_and_defaults_fill_what_is_left_out()
    {
        ProcedureRules rules = RowBuilder.RulesOf(
            Sentinel,
            Rate,
            """{ "id": "chart", "kind": "cusum", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "inControlRate": 0.05, "oddsRatio": 2, "threshold": 2.8, "maturityMonths": 3, "reason": "r" }""",
            """{ "id": "funnel", "kind": "funnel", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "target": "national", "minimumDenominator": 10, "reason": "r" }""");

        SentinelRule sentinel = Assert.IsType<SentinelRule>(rules.Rules[0]);
        Assert.Equal(SignalPeriodKind.Month, sentinel.Period);
        Assert.Equal([SignalScopeKind.Trust], sentinel.Scopes);
        RateRule rate = Assert.IsType<RateRule>(rules.Rules[1]);
        Assert.Equal(SignalPeriodKind.AllTime, rate.Period);
        Assert.Null(rate.AlarmConfidence);
        CusumRule cusum = Assert.IsType<CusumRule>(rules.Rules[2]);
        Assert.Equal(2.8, cusum.Threshold);
        Assert.Null(cusum.Design);
        FunnelRule funnel = Assert.IsType<FunnelRule>(rules.Rules[3]);
        Assert.Equal(OverdispersionAdjustment.None, funnel.Overdispersion);
        Assert.Equal(10, funnel.MinimumUnitsForOverdispersion);
    }
}
