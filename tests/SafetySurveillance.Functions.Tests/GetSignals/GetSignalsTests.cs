using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetSignals;

public sealed class GetSignalsTests(GetSignalsFixture app) : IClassFixture<GetSignalsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly March = new(2026, 3, 10);

    private static Dictionary<string, string> Query(string procedure, string period, string? scope = null)
    {
        var query = new Dictionary<string, string> { ["procedure"] = procedure, ["period"] = period };
        if (scope is not null)
        {
            query["scope"] = scope;
        }

        return query;
    }

    /// <summary>
    /// Writes, for <paramref name="procedure"/> in March 2026: at RX1, 20 procedures (15 MDT-selected, 12 with written
    /// information, 9 registered, all first procedures), 3 serious device-related adverse events (codes A0101 ×2, E0102 ×1),
    /// 8 twelve-month outcome reports; at RY2, 5 procedures and 1 serious device-related death.
    /// </summary>
    private async Task WriteScenarioAsync(string procedure)
    {
        var pairs = new List<(SignalKey, SequencedContribution)>();
        long sequence = 0;
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];

        void Add(string trust, string? device, SignalContribution contribution)
        {
            int count = SignalKey.WriteTouched(keys, procedure, March, trust, device);
            var sequenced = new SequencedContribution(sequence++, contribution);
            foreach (SignalKey key in keys.AsSpan(0, count))
            {
                pairs.Add((key, sequenced));
            }
        }

        for (int i = 0; i < 20; i++)
        {
            var facts = ProcedureFacts.FirstForPatient
                | (i < 15 ? ProcedureFacts.MdtSelection : 0)
                | (i < 12 ? ProcedureFacts.WrittenInformation : 0)
                | (i < 9 ? ProcedureFacts.RegistryEntry : 0);
            Add("RX1", "05012345678900", new ProcedureContribution(March, facts));
        }

        var serious = AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.FirstSeriousRelatedForPatient;
        Add("RX1", "05012345678900", new AdverseEventContribution(serious, ["A0101", "E0102"]));
        Add("RX1", "05012345678900", new AdverseEventContribution(serious, ["A0101"]));
        Add("RX1", "05012345678900", new AdverseEventContribution(serious | AdverseEventFacts.Revision, []));
        for (int i = 0; i < 8; i++)
        {
            Add("RX1", "05012345678900", new OutcomeContribution(March, OutcomeTimepoint.Month12, painNrs: new MeasureObservation(3 + (i % 3), -4, true)));
        }

        for (int i = 0; i < 5; i++)
        {
            Add("RY2", null, new ProcedureContribution(March, ProcedureFacts.FirstForPatient));
        }

        Add("RY2", null, new AdverseEventContribution(serious | AdverseEventFacts.Death, ["E0102"]));
        await app.Writer.ApplyAsync("0", pairs, Ct);
    }

    [Fact]
    public async Task A_trust_row_comes_back_with_counts_rates_wilson_intervals_follow_up_and_code_counts()
    {
        await WriteScenarioAsync("B11.1");

        var answer = await app.GetAsync(Query("B11.1", "2026-03", "trust:RX1"), Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        var row = Assert.Single(answer.Body!["rows"]!.AsArray())!;
        Assert.Equal("trust:RX1", (string?)row["scope"]);
        Assert.Equal("RX1", (string?)row["scopeValue"]);
        Assert.Equal(20, (long)row["counts"]!["procedures"]!);
        Assert.Equal(3, (long)row["counts"]!["seriousAdverseEvents"]!);
        Assert.Equal(1, (long)row["counts"]!["revisions"]!);

        var expected = WilsonScore.Interval(3, 20);
        var rate = row["rates"]!["seriousRelatedAdverseEvents"]!;
        Assert.Equal(3, (long)rate["numerator"]!);
        Assert.Equal(20, (long)rate["denominator"]!);
        Assert.Equal(0.15, (double)rate["estimate"]!, 12);
        Assert.Equal(expected.Lower, (double)rate["lower"]!, 12);
        Assert.Equal(expected.Upper, (double)rate["upper"]!, 12);
        Assert.InRange((double)rate["lower"]!, 0.05, 0.15); // Wilson 95% for 3/20 is about 0.052 … 0.360
        Assert.InRange((double)rate["upper"]!, 0.15, 0.40);

        Assert.Equal(15, (long)row["niceSpecialArrangements"]!["mdtSelection"]!["numerator"]!);
        Assert.Equal(12, (long)row["niceSpecialArrangements"]!["writtenInformation"]!["numerator"]!);
        Assert.Equal(9, (long)row["niceSpecialArrangements"]!["registryEntry"]!["numerator"]!);
        Assert.Equal(WilsonScore.Interval(9, 20).Lower, (double)row["niceSpecialArrangements"]!["registryEntry"]!["lower"]!, 12);

        // March 2026 procedures are due their 12-month follow-up (with one month's grace) by 1 June 2027.
        Assert.Equal(20, (long)row["followUp12Months"]!["due"]!);
        Assert.Equal(8, (long)row["followUp12Months"]!["received"]!);
        Assert.Equal(WilsonScore.Interval(8, 20).Upper, (double)row["followUp12Months"]!["completeness"]!["upper"]!, 12);

        var pain = Assert.Single(row["outcomes"]!.AsArray())!;
        Assert.Equal("PainNrs", (string?)pain["measure"]);
        Assert.Equal("Month12", (string?)pain["timepoint"]);
        Assert.Equal(8, (long)pain["score"]!["n"]!);
        Assert.Equal(-4.0, (double)pain["changeFromBaseline"]!["mean"]!, 12);
        Assert.Equal(8, (long)pain["responders"]!["numerator"]!);

        Assert.Equal(2, (long)row["imdrfCodes"]!["A0101"]!);
        Assert.Equal(1, (long)row["imdrfCodes"]!["E0102"]!);
    }

    [Fact]
    public async Task The_national_row_is_the_default_scope_and_adds_up_every_trust()
    {
        await WriteScenarioAsync("B12.1");

        var answer = await app.GetAsync(Query("B12.1", "2026-Q1"), Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("national", (string?)answer.Body!["scope"]);
        var row = Assert.Single(answer.Body["rows"]!.AsArray())!;
        Assert.Equal("national", (string?)row["scopeKind"]);
        Assert.Null(row["scopeValue"]);
        Assert.Equal(25, (long)row["counts"]!["procedures"]!);
        Assert.Equal(1, (long)row["counts"]!["deaths"]!);
        Assert.Equal(2, (long)row["imdrfCodes"]!["A0101"]!); // both at RX1
        Assert.Equal(2, (long)row["imdrfCodes"]!["E0102"]!); // one at RX1, one at RY2
    }

    [Fact]
    public async Task Wildcard_scopes_return_every_row_of_their_kind_and_nothing_else()
    {
        await WriteScenarioAsync("B13.1");

        var trusts = await app.GetAsync(Query("B13.1", "all", "trust:*"), Ct);
        var devices = await app.GetAsync(Query("B13.1", "all", "device:*"), Ct);
        var everything = await app.GetAsync(Query("B13.1", "all", "*"), Ct);

        Assert.Equal(["trust:RX1", "trust:RY2"], trusts.Body!["rows"]!.AsArray().Select(r => (string)r!["scope"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["device:05012345678900"], devices.Body!["rows"]!.AsArray().Select(r => (string)r!["scope"]!));
        Assert.Equal(4, everything.Body!["rows"]!.AsArray().Count);
        Assert.Equal("trust:*", (string?)trusts.Body["scope"]);
    }

    [Fact]
    public async Task A_procedure_or_period_without_rows_answers_200_with_no_rows()
    {
        var answer = await app.GetAsync(Query("Z98.9", "2031-12", "trust:RX1"), Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Empty(answer.Body!["rows"]!.AsArray());
    }

    [Fact]
    public async Task Every_invalid_parameter_is_named_in_one_400_answer()
    {
        var answer = await app.GetAsync(new Dictionary<string, string> { ["period"] = "2026-13", ["scope"] = "trust:R#1", ["colour"] = "blue" }, Ct);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("invalid_query", (string?)answer.Body!["error"]);
        var problems = answer.Body["problems"]!.AsArray().Select(p => (string)p!["parameter"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["colour", "period", "procedure", "scope"], problems);
        Assert.DoesNotContain("R#1", answer.RawBody, StringComparison.Ordinal); // input is not echoed back
    }

    [Theory]
    [InlineData("a48.4", "2026-03", "national", "procedure")]
    [InlineData("A48.44", "2026-03", "national", "procedure")]
    [InlineData("A48.4", "2026-Q5", "national", "period")]
    [InlineData("A48.4", "26-03", "national", "period")]
    [InlineData("A48.4", "ALL", "national", "period")]
    [InlineData("A48.4", "all", "trust:", "scope")]
    [InlineData("A48.4", "all", "trust:TOOLONG", "scope")]
    [InlineData("A48.4", "all", "device:05012345678901", "scope")]
    [InlineData("A48.4", "all", "region:north", "scope")]
    [InlineData("A48.4", "all", "national:x", "scope")]
    public async Task A_malformed_parameter_is_refused_with_its_name(string procedure, string period, string scope, string parameter)
    {
        var answer = await app.GetAsync(Query(procedure, period, scope), Ct);

        Assert.Equal(400, answer.StatusCode);
        var problem = Assert.Single(answer.Body!["problems"]!.AsArray())!;
        Assert.Equal(parameter, (string?)problem["parameter"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["message"]));
    }

    [Fact]
    public async Task Lower_case_ods_codes_name_the_same_trust_row()
    {
        await WriteScenarioAsync("B14.1");

        var answer = await app.GetAsync(Query("B14.1", "2026-03", "trust:rx1"), Ct);

        Assert.Equal("trust:RX1", (string?)Assert.Single(answer.Body!["rows"]!.AsArray())!["scope"]);
    }

    [Fact]
    public async Task Rows_carry_aggregates_only_no_watermarks_or_identifiers()
    {
        await WriteScenarioAsync("B15.1");

        var answer = await app.GetAsync(Query("B15.1", "all", "*"), Ct);

        string[] allowed = ["scope", "scopeKind", "scopeValue", "counts", "rates", "niceSpecialArrangements", "followUp12Months", "outcomeReports", "outcomes", "imdrfCodes"];
        foreach (JsonNode? row in answer.Body!["rows"]!.AsArray())
        {
            Assert.Equal(allowed.Order(StringComparer.Ordinal), row!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        }

        Assert.DoesNotContain("atermark", answer.RawBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pseudonym", answer.RawBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("nhs", answer.RawBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_method_other_than_get_is_refused()
    {
        var answer = await app.GetAsync(Query("A48.4", "all"), Ct, method: "POST");

        Assert.Equal(405, answer.StatusCode);
    }

    [Fact]
    public async Task An_invocation_without_a_request_fails_the_invocation()
    {
        using var response = await app.Handler.PostAsync("/GetSignals", new StringContent("""{"Data":{},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(400, (int)response.StatusCode);
    }
}
