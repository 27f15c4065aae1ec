using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Tests.Dashboard;
using SafetySurveillance.Storage.Signals;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetCompleteness;

[Collection(DashboardApiCollection.Name)]
public sealed class GetCompletenessTests(DashboardApiFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>RX1: 40 procedures in March 2026, 30 with every flag, 25 twelve-month reports. RY2: 10 procedures in May 2026 (not yet due on 2027-06-01), every flag.</summary>
    private async Task WriteScenarioAsync(string procedure) =>
        await new SignalScenario(procedure)
            .Procedures("RX1", new DateOnly(2026, 3, 10), 40, withFlags: 30)
            .TwelveMonthReports("RX1", new DateOnly(2026, 3, 10), 25)
            .Procedures("RY2", new DateOnly(2026, 5, 10), 10)
            .WriteAsync(app.Writer, Ct);

    [Fact]
    public async Task Each_trust_has_its_special_arrangement_and_follow_up_proportions_with_wilson_intervals()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[20];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetCompleteness", "completeness", new Dictionary<string, string> { ["procedure"] = procedure }, "reviewer", Ct);

        Assert.Equal(200, answer.StatusCode);
        var body = answer.Body!;
        Assert.Equal(0.8, (double)body["followUpTarget"]!, 12);
        Assert.Equal(1, (int)body["graceMonths"]!);
        Assert.Equal("2027-06-01", (string?)body["asOf"]);
        var trusts = body["trusts"]!.AsArray();
        Assert.Equal(["RX1", "RY2"], trusts.Select(t => (string)t!["scope"]!));
        var rx1 = trusts[0]!;
        Assert.Equal(40, (long)rx1["procedures"]!);
        ProportionInterval mdt = WilsonScore.Interval(30, 40, 0.95);
        Assert.Equal(30, (long)rx1["mdtSelection"]!["numerator"]!);
        Assert.Equal(0.75, (double)rx1["mdtSelection"]!["rate"]!, 12);
        Assert.Equal(mdt.Lower, (double)rx1["mdtSelection"]!["lower"]!, 12);
        Assert.Equal(30, (long)rx1["writtenInformation"]!["numerator"]!);
        Assert.Equal(30, (long)rx1["registryEntry"]!["numerator"]!);

        // Follow-up as the domain counts it: March 2026 is due by 2027-06-01 (12 months + 1 month of grace), May is not.
        var stored = await app.Writer.QueryAsync(procedure, SignalPeriod.AllTime, SignalScopeFilter.Exactly(SignalScope.Trust("RX1")), Ct);
        FollowUpTally tally = stored[0].Row.Totals.TwelveMonthFollowUp(new DateOnly(2027, 6, 1), 1);
        Assert.Equal(tally.Due, (long)rx1["followUp12Months"]!["denominator"]!);
        Assert.Equal(tally.Received, (long)rx1["followUp12Months"]!["numerator"]!);
        Assert.Equal(40, tally.Due);
        Assert.Equal(25, tally.Received);
        Assert.Equal(0, (long)trusts[1]!["followUp12Months"]!["denominator"]!);
        Assert.Null(trusts[1]!["followUp12Months"]!["rate"]);

        var national = body["national"]!;
        Assert.Equal(50, (long)national["procedures"]!);
        Assert.Equal(40, (long)national["mdtSelection"]!["numerator"]!);
    }

    [Fact]
    public async Task A_governance_lead_gets_the_national_row_and_their_own_trust_only()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[21];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetCompleteness", "completeness", new Dictionary<string, string> { ["procedure"] = procedure }, "lead:RY2", Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("RY2", (string?)Assert.Single(answer.Body!["trusts"]!.AsArray())!["scope"]);
        Assert.Equal(50, (long)answer.Body["national"]!["procedures"]!);
        Assert.DoesNotContain("RX1", answer.RawBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401()
    {
        var answer = await app.GetAsync("GetCompleteness", "completeness", new Dictionary<string, string> { ["procedure"] = DashboardApiFixture.ProcedureCodes[22] }, null, Ct);

        Assert.Equal(401, answer.StatusCode);
    }
}
