using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetySurveillance.Functions.Tests.Access;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetPublicSummary;

/// <summary><c>GET /api/public/summary</c> through the whole app against a real Azurite, with no sign-in.</summary>
public sealed class GetPublicSummaryTests(AccessFixture app) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> NoHeaders = [];

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Task<Support.HttpOutput> GetAsync(Dictionary<string, string> query) =>
        app.InvokeAsync("GetPublicSummary", "public/summary", query, NoHeaders, Ct);

    [Fact]
    public async Task Anyone_gets_national_and_trust_counts_with_small_counts_as_less_than_8_and_complements_withheld()
    {
        // February 2026, so quarter 2026-Q1. Per trust: procedures, serious related events, deaths among them.
        await app.WriteAsync("D02.2", new DateOnly(2026, 2, 14), new Dictionary<string, (int, int, int)>
        {
            ["RA1"] = (30, 12, 0),
            ["RB2"] = (9, 3, 1),
            ["RC3"] = (14, 0, 0),
            ["RD4"] = (2, 0, 0),
        }, device: null, Ct);

        var answer = await GetAsync(new() { ["procedure"] = "D02.2", ["period"] = "2026-Q1" });

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("public, max-age=300", answer.Headers["Cache-Control"]);
        JsonNode body = JsonNode.Parse(answer.Body!)!;
        Assert.Equal("D02.2", (string?)body["procedure"]);
        Assert.Equal("2026-Q1", (string?)body["period"]);
        Assert.Equal("2027-06-01", (string?)body["asOf"]);
        Assert.Equal(["procedures", "seriousRelatedAdverseEvents", "deaths", "revisions", "explants"], body["measures"]!.AsArray().Select(m => (string)m!));

        // Procedures: RD4's 2 is small; withholding RB2's 9 alone leaves it 1–3 (the hidden pair is 11 and "*" is
        // 8 to 14), so RC3's 14 goes too and the 2 could again be anything from 1 to 7.
        // Serious related events: RB2's 3 is small; RA1's 12 is withheld with it (hidden sum 15, "*" at least 8).
        // Deaths: one trust with 1 and no count of 8 or more to hide it beside: the whole column is withheld.
        Assert.Equal("""{"procedures":55,"seriousRelatedAdverseEvents":15,"deaths":"*","revisions":0,"explants":0}""", body["national"]!.ToJsonString(Readable));
        var trusts = body["trusts"]!.AsArray().ToDictionary(t => (string)t!["trust"]!, t => t!["counts"]!.ToJsonString(Readable));
        Assert.Equal(["RA1", "RB2", "RC3", "RD4"], trusts.Keys);
        Assert.Equal("""{"procedures":30,"seriousRelatedAdverseEvents":"*","deaths":"*","revisions":0,"explants":0}""", trusts["RA1"]);
        Assert.Equal("""{"procedures":"*","seriousRelatedAdverseEvents":"<8","deaths":"<8","revisions":0,"explants":0}""", trusts["RB2"]);
        Assert.Equal("""{"procedures":"*","seriousRelatedAdverseEvents":0,"deaths":"*","revisions":0,"explants":0}""", trusts["RC3"]);
        Assert.Equal("""{"procedures":"<8","seriousRelatedAdverseEvents":0,"deaths":"*","revisions":0,"explants":0}""", trusts["RD4"]);
        Assert.Contains("\"<8\"", answer.Body!, StringComparison.Ordinal);
        Assert.DoesNotContain("rate", answer.Body!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_procedure_with_no_records_in_the_quarter_has_zero_totals_and_no_trusts()
    {
        var answer = await GetAsync(new() { ["procedure"] = "Z99.9", ["period"] = "2025-Q4" });

        Assert.Equal(200, answer.StatusCode);
        JsonNode body = JsonNode.Parse(answer.Body!)!;
        Assert.Equal("""{"procedures":0,"seriousRelatedAdverseEvents":0,"deaths":0,"revisions":0,"explants":0}""", body["national"]!.ToJsonString(Readable));
        Assert.Empty(body["trusts"]!.AsArray());
    }

    [Theory]
    [InlineData("2026-03", "period")] // months would sum to the quarter
    [InlineData("all", "period")] // so would all time
    [InlineData("2027-Q2", "period")] // today is 2027-06-01: the quarter has not ended
    [InlineData("2027-Q4", "period")]
    [InlineData("2026-Q5", "period")]
    public async Task Only_a_quarter_that_has_ended_is_published(string period, string parameter)
    {
        var answer = await GetAsync(new() { ["procedure"] = "D02.2", ["period"] = period });

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
        var problems = JsonNode.Parse(answer.Body!)!["problems"]!.AsArray();
        Assert.Equal(parameter, (string?)Assert.Single(problems)!["parameter"]);
    }

    [Fact]
    public async Task Every_bad_parameter_is_listed()
    {
        var answer = await GetAsync(new() { ["procedure"] = "a48", ["scope"] = "trust:*" });

        Assert.Equal(400, answer.StatusCode);
        var problems = JsonNode.Parse(answer.Body!)!["problems"]!.AsArray().Select(p => (string)p!["parameter"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["period", "procedure", "scope"], problems);
    }
}
