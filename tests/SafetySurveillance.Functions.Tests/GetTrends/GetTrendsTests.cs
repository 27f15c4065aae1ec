using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Tests.Dashboard;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetTrends;

[Collection(DashboardApiCollection.Name)]
public sealed class GetTrendsTests(DashboardApiFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Query(string procedure, params (string Name, string Value)[] more)
    {
        var query = new Dictionary<string, string> { ["procedure"] = procedure };
        foreach (var (name, value) in more)
        {
            query[name] = value;
        }

        return query;
    }

    /// <summary>RX1 in Jan–Jun 2026: 20 first procedures a month, 1 serious related event, except 8 in April and May. RY2: 10 a month, none.</summary>
    private async Task WriteScenarioAsync(string procedure)
    {
        var scenario = new SignalScenario(procedure);
        for (int month = 1; month <= 6; month++)
        {
            var date = new DateOnly(2026, month, 15);
            scenario.Procedures("RX1", date, 20).SeriousRelated("RX1", date, month is 4 or 5 ? 8 : 1);
            scenario.Procedures("RY2", date, 10);
        }

        await scenario.WriteAsync(app.Writer, Ct);
    }

    [Fact]
    public async Task Monthly_rates_come_with_wilson_intervals_nationally_and_for_the_trust_and_months_without_rows_are_empty()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[10];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetTrends", "trends", Query(procedure, ("trust", "rx1"), ("from", "2025-12"), ("to", "2026-07")), "reviewer", Ct);

        Assert.Equal(200, answer.StatusCode);
        var body = answer.Body!;
        Assert.Equal("serious-related-funnel", (string?)body["signal"]!["id"]);
        var national = body["national"]!.AsArray();
        var trust = body["trust"]!["points"]!.AsArray();
        Assert.Equal("RX1", (string?)body["trust"]!["trust"]);
        Assert.Equal(["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"], national.Select(p => (string)p!["month"]!));
        Assert.Equal(national.Select(p => (string)p!["month"]!), trust.Select(p => (string)p!["month"]!));

        Assert.Equal(0, (long)national[0]!["denominator"]!);
        Assert.Null(national[0]!["rate"]);
        Assert.Null(national[0]!["lower"]);

        var april = trust[4]!;
        Assert.Equal(8, (long)april["numerator"]!);
        Assert.Equal(20, (long)april["denominator"]!);
        ProportionInterval expected = WilsonScore.Interval(8, 20, 0.95);
        Assert.Equal(0.4, (double)april["rate"]!, 12);
        Assert.Equal(expected.Lower, (double)april["lower"]!, 12);
        Assert.Equal(expected.Upper, (double)april["upper"]!, 12);
        var nationalApril = national[4]!;
        Assert.Equal(8, (long)nationalApril["numerator"]!);
        Assert.Equal(30, (long)nationalApril["denominator"]!);
    }

    [Fact]
    public async Task The_cusum_chart_matches_the_rules_engine_chart_run_over_the_same_months()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[11];
        await WriteScenarioAsync(procedure);

        var body = (await app.GetAsync("GetTrends", "trends", Query(procedure, ("trust", "RX1"), ("from", "2026-01"), ("to", "2027-05")), "reviewer", Ct)).Body!;

        CusumRule rule = app.Rules.For(procedure)!.Rules.OfType<CusumRule>().Single();
        var months = new List<CusumMonth>();
        for (int month = 1; month <= 6; month++)
        {
            months.Add(new CusumMonth(SignalPeriod.Month(2026, month), 20, month is 4 or 5 ? 8 : 1));
        }

        CusumAdvance advance = CusumChart.Advance(rule, procedure, SignalScope.Trust("RX1"), CusumChartState.Initial, months, DateOnly.FromDateTime(DashboardApiFixture.Now.UtcDateTime));
        var cusum = body["cusum"]!;
        Assert.Equal(rule.Threshold, (double)cusum["threshold"]!, 12);
        var points = cusum["points"]!.AsArray();
        Assert.Equal(17, points.Count);
        var charted = points.Where(p => (bool)p!["charted"]!).ToList();

        // Every month up to 2027-02 is mature on 2027-06-01 (3 months after its end); empty months add nothing.
        Assert.Equal("2027-02", (string?)charted[^1]!["month"]);
        Assert.Equal(advance.State.Chart.Statistic, (double)charted[^1]!["statistic"]!, 12);
        Assert.All(points.Where(p => !(bool)p!["charted"]!), p => Assert.Null(p!["statistic"]));
        Assert.Equal(
            advance.Findings.Select(f => f.Period.ToString()),
            points.Where(p => (long)p!["signals"]! > 0).Select(p => (string)p!["month"]!));
        Assert.NotEmpty(advance.Findings); // the April/May excess crosses h
        foreach (Finding finding in advance.Findings)
        {
            var point = points.Single(p => (string)p!["month"]! == finding.Period.ToString())!;
            Assert.Equal(finding.Evidence.CusumValue!.Value, (double)point["highest"]!, 12);
        }
    }

    [Fact]
    public async Task A_governance_lead_gets_their_own_trust_by_default_and_is_refused_any_other()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[12];
        await WriteScenarioAsync(procedure);

        var own = await app.GetAsync("GetTrends", "trends", Query(procedure, ("from", "2026-01"), ("to", "2026-06")), "lead:RY2", Ct);
        var other = await app.GetAsync("GetTrends", "trends", Query(procedure, ("trust", "RX1")), "lead:RY2", Ct);

        Assert.Equal(200, own.StatusCode);
        Assert.Equal("RY2", (string?)own.Body!["trust"]!["trust"]);
        Assert.Equal("RY2", (string?)own.Body["cusum"]!["trust"]);
        Assert.DoesNotContain("RX1", own.RawBody!, StringComparison.Ordinal);
        Assert.Equal(403, other.StatusCode);
        Assert.DoesNotContain("\"points\"", other.RawBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_trust_a_reviewer_gets_the_national_series_over_the_last_36_months()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[13];
        await WriteScenarioAsync(procedure);

        var body = (await app.GetAsync("GetTrends", "trends", Query(procedure), "reviewer", Ct)).Body!;

        Assert.Null(body["trust"]);
        Assert.Null(body["cusum"]);
        Assert.Equal("2024-07", (string?)body["from"]);
        Assert.Equal("2027-06", (string?)body["to"]);
        Assert.Equal(36, body["national"]!.AsArray().Count);
        Assert.Equal(6 * 30, body["national"]!.AsArray().Sum(p => (long)p!["denominator"]!));
    }

    [Fact]
    public async Task A_reversed_or_too_long_range_and_a_signal_without_a_denominator_are_400()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[14];
        var reversed = await app.GetAsync("GetTrends", "trends", Query(procedure, ("from", "2026-05"), ("to", "2026-01")), "reviewer", Ct);
        var tooLong = await app.GetAsync("GetTrends", "trends", Query(procedure, ("from", "2010-01"), ("to", "2026-01")), "reviewer", Ct);
        var sentinel = await app.GetAsync("GetTrends", "trends", Query(procedure, ("signal", "death-sentinel"), ("trust", "R!")), "reviewer", Ct);

        Assert.Equal(400, reversed.StatusCode);
        Assert.Equal(400, tooLong.StatusCode);
        Assert.Equal(400, sentinel.StatusCode);
        Assert.Equal(["signal", "trust"], sentinel.Body!["problems"]!.AsArray().Select(p => (string)p!["parameter"]!));
    }
}
