using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Tests.Dashboard;
using SafetySurveillance.Storage.Signals;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetFunnel;

[Collection(DashboardApiCollection.Name)]
public sealed class GetFunnelTests(DashboardApiFixture app)
{
    private static readonly DateOnly March = new(2026, 3, 10);

    /// <summary>Twelve trusts (enough for the over-dispersion estimate) plus one too small to place.</summary>
    private static readonly string[] Trusts = ["RA1", "RB2", "RC3", "RD4", "RE5", "RF6", "RG7", "RHQ", "RJ8", "RK9", "RX1", "RY2"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Query(string procedure, string? signal = null)
    {
        var query = new Dictionary<string, string> { ["procedure"] = procedure };
        if (signal is not null)
        {
            query["signal"] = signal;
        }

        return query;
    }

    /// <summary>Each trust: 60–115 first procedures and about 4 % with a serious related event; RHQ: 100 and 20 (20 %); RZ9: 5 and 1.</summary>
    private async Task WriteScenarioAsync(string procedure)
    {
        var scenario = new SignalScenario(procedure);
        for (int i = 0; i < Trusts.Length; i++)
        {
            string trust = Trusts[i];
            int procedures = trust == "RHQ" ? 100 : 60 + (5 * i);
            int events = trust == "RHQ" ? 20 : 2 + (i % 3);
            scenario.Procedures(trust, March, procedures).SeriousRelated(trust, March, events);
        }

        scenario.Procedures("RZ9", March, 5).SeriousRelated("RZ9", March, 1);
        await scenario.WriteAsync(app.Writer, Ct);
    }

    private async Task<IReadOnlyList<Finding>> RuleFindingsAsync(string procedure)
    {
        IReadOnlyList<(SignalKey Key, SignalRow Row)> rows = await app.Writer.QueryAsync(procedure, SignalPeriod.AllTime, SignalScopeFilter.Any, Ct);
        var snapshot = new SignalSnapshot(procedure, SignalPeriod.AllTime, [.. rows.Select(r => new ScopedRow(r.Key.Scope, r.Row.Totals))], DateOnly.FromDateTime(DashboardApiFixture.Now.UtcDateTime));
        return [.. RuleEvaluator.Evaluate(app.Rules.For(procedure)!, snapshot).Where(f => f.RuleId == "serious-related-funnel" && f.Scope.Kind == SignalScopeKind.Trust)];
    }

    [Fact]
    public async Task A_reviewer_sees_every_placed_trust_judged_exactly_as_the_funnel_rule_judges_it()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[0];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetFunnel", "funnel", Query(procedure), "reviewer", Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
        var body = answer.Body!;
        Assert.Equal("serious-related-funnel", (string?)body["signal"]!["id"]);
        Assert.Equal("all", (string?)body["period"]);
        Assert.Equal("reviewer", (string?)body["viewer"]!["role"]);
        var trusts = body["trusts"]!.AsArray();
        Assert.Equal(Trusts.Order(StringComparer.Ordinal), trusts.Select(t => (string)t!["trust"]!));
        Assert.Equal("RZ9", (string?)body["notPlaced"]!.AsArray().Single()!["trust"]);

        IReadOnlyList<Finding> findings = await RuleFindingsAsync(procedure);
        Assert.Equal(Trusts.Length, findings.Count);
        foreach (Finding finding in findings)
        {
            var point = trusts.Single(t => (string)t!["trust"]! == finding.Scope.Value)!;
            Assert.Equal(finding.Severity.ToString().ToLowerInvariant(), (string?)point["severity"]);
            Assert.Equal(finding.Evidence.Numerator, (long)point["numerator"]!);
            Assert.Equal(finding.Evidence.Denominator, (long)point["denominator"]!);
            Assert.Equal(finding.Evidence.WarningLimit!.Value, (double)point["upper95"]!, 12);
            Assert.Equal(finding.Evidence.AlarmLimit!.Value, (double)point["upper998"]!, 12);
            Assert.Equal(finding.Evidence.Benchmark!.Value, (double)body["target"]!, 12);
        }

        var outlier = trusts.Single(t => (string)t!["trust"]! == "RHQ")!;
        Assert.Equal("above998", (string?)outlier["zone"]);
        Assert.Equal("alarm", (string?)outlier["severity"]);
        Assert.True((double)outlier["rate"]! > (double)outlier["upper998"]!);
        Assert.Single(trusts, t => (string?)t!["zone"] == "above998");
    }

    [Fact]
    public async Task The_limit_curves_widen_to_small_denominators_and_the_outer_limits_enclose_the_inner_ones()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[1];
        await WriteScenarioAsync(procedure);

        var body = (await app.GetAsync("GetFunnel", "funnel", Query(procedure), "reviewer", Ct)).Body!;

        var curve = body["curve"]!.AsArray().Select(c => c!).ToList();
        long largest = body["trusts"]!.AsArray().Max(t => (long)t!["denominator"]!);
        Assert.Equal(10, (long)curve[0]["denominator"]!); // the rule's minimum denominator
        Assert.Equal((long)Math.Ceiling(largest * 1.1), (long)curve[^1]["denominator"]!);
        Assert.True(curve.Count is > 50 and <= 120);
        double target = (double)body["target"]!;
        for (int i = 0; i < curve.Count; i++)
        {
            var c = curve[i];
            Assert.True((double)c["upper998"]! >= (double)c["upper95"]! && (double)c["upper95"]! >= target, $"at n = {c["denominator"]}");
            Assert.True((double)c["lower998"]! <= (double)c["lower95"]! && (double)c["lower95"]! <= target, $"at n = {c["denominator"]}");
            if (i > 0)
            {
                Assert.True((long)c["denominator"]! > (long)curve[i - 1]["denominator"]!);
            }
        }

        Assert.True((double)curve[0]["upper998"]! > (double)curve[^1]["upper998"]!);
    }

    [Fact]
    public async Task A_governance_lead_gets_the_national_figures_and_their_own_trust_and_no_other_trust_at_all()
    {
        string procedure = DashboardApiFixture.ProcedureCodes[2];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetFunnel", "funnel", Query(procedure), "lead:RX1", Ct);

        Assert.Equal(200, answer.StatusCode);
        var body = answer.Body!;
        Assert.Equal("governance-lead", (string?)body["viewer"]!["role"]);
        var own = Assert.Single(body["trusts"]!.AsArray())!;
        Assert.Equal("RX1", (string?)own["trust"]);
        Assert.Empty(body["notPlaced"]!.AsArray());
        foreach (string other in Trusts.Append("RZ9").Where(t => t != "RX1"))
        {
            Assert.DoesNotContain(other, answer.RawBody!, StringComparison.Ordinal);
        }

        // The curves end just past the lead's own denominator, so they tell nothing of the largest trust.
        Assert.Equal((long)Math.Ceiling((long)own["denominator"]! * 1.1), (long)body["curve"]!.AsArray()[^1]!["denominator"]!);

        // The national figures and the limits are the reviewer's.
        var reviewer = (await app.GetAsync("GetFunnel", "funnel", Query(procedure), "reviewer", Ct)).Body!;
        Assert.Equal((double)reviewer["target"]!, (double)body["target"]!);
        Assert.Equal(reviewer["national"]!.ToJsonString(), body["national"]!.ToJsonString());
        Assert.Equal(reviewer["trusts"]!.AsArray().Single(t => (string)t!["trust"]! == "RX1")!.ToJsonString(), own.ToJsonString());
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("expired", 401)]
    [InlineData("trust-key", 403)]
    public async Task A_caller_without_a_usable_sign_in_gets_no_figures(string? bearer, int status)
    {
        string procedure = DashboardApiFixture.ProcedureCodes[3];
        await WriteScenarioAsync(procedure);

        var answer = await app.GetAsync("GetFunnel", "funnel", Query(procedure), bearer, Ct);

        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("access_denied", (string?)answer.Body!["error"]);
        Assert.DoesNotContain("RHQ", answer.RawBody!, StringComparison.Ordinal);
        if (status == 401)
        {
            Assert.Equal("Bearer", answer.Headers["WWW-Authenticate"]);
        }
    }

    [Fact]
    public async Task Every_bad_parameter_is_listed_in_one_400()
    {
        var answer = await app.GetAsync("GetFunnel", "funnel", new Dictionary<string, string> { ["procedure"] = DashboardApiFixture.ProcedureCodes[4], ["signal"] = "serious-related-rate", ["period"] = "2026-13", ["colour"] = "red" }, "reviewer", Ct);

        Assert.Equal(400, answer.StatusCode);
        var parameters = answer.Body!["problems"]!.AsArray().Select(p => (string)p!["parameter"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["colour", "period", "signal"], parameters);

        var unknown = await app.GetAsync("GetFunnel", "funnel", Query("Z99.9"), "reviewer", Ct);
        Assert.Equal(400, unknown.StatusCode);
        Assert.Contains("No signal rules are configured for Z99.9", unknown.RawBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_procedure_with_no_rows_yet_gives_an_empty_plot_with_a_reason()
    {
        var answer = await app.GetAsync("GetFunnel", "funnel", Query(DashboardApiFixture.ProcedureCodes[5]), "reviewer", Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Null(answer.Body!["target"]);
        Assert.Empty(answer.Body["trusts"]!.AsArray());
        Assert.Contains("No national rate yet", (string?)answer.Body["note"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_GET_is_answered()
    {
        var answer = await app.GetAsync("GetFunnel", "funnel", Query(DashboardApiFixture.ProcedureCodes[5]), "reviewer", Ct, method: "POST");

        Assert.Equal(405, answer.StatusCode);
    }
}
