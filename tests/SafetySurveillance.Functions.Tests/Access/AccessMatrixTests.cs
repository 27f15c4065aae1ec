using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Access;

/// <summary>
/// The access matrix, role × route × trust, through the whole app with real signed tokens from a loopback issuer.
/// Every caller below is tried on every authenticated route; the expected answer is written out per case.
/// </summary>
public sealed class AccessMatrixTests(AccessFixture app) : IClassFixture<AccessFixture>, IAsyncLifetime
{
    private const string Procedure = "A48.4";
    private const string Device = "05012345678900";
    private static readonly DateOnly March = new(2026, 3, 10);
    private static readonly DateTimeOffset Raised = new(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Alerts are acknowledged in these tests in March 2026 and resolved in January, so the two never meet.</summary>
    private const string AcknowledgePeriod = "2026-03";

    /// <inheritdoc cref="AcknowledgePeriod"/>
    private const string ResolvePeriod = "2026-01";

    private static readonly Dictionary<string, SignalScope> AlertScopes = new(StringComparer.Ordinal)
    {
        ["RX1"] = SignalScope.Trust("RX1"),
        ["RY2"] = SignalScope.Trust("RY2"),
        ["national"] = SignalScope.National,
        ["device"] = SignalScope.Device(Device),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AlertId AlertOf(string scope, string period) =>
        AlertId.For(Procedure, SignalPeriod.Parse(period), "death-sentinel", AlertScopes[scope]);

    public async ValueTask InitializeAsync()
    {
        if (await app.Writer.GetAsync(SignalKey.Create(Procedure, SignalPeriod.AllTime, SignalScope.National), Ct) is null)
        {
            await app.WriteAsync(Procedure, March, new Dictionary<string, (int, int, int)> { ["RX1"] = (20, 3, 0), ["RY2"] = (9, 1, 1) }, Device, Ct);
            foreach (string period in new[] { AcknowledgePeriod, ResolvePeriod })
            {
                foreach (var (name, scope) in AlertScopes)
                {
                    var finding = new Finding("death-sentinel", "sentinel", Procedure, scope, SignalPeriod.Parse(period), Severity.Alarm, new Evidence(2, 17), $"2 deaths in {name}.");
                    await app.Alerts.SaveAsync(AlertDecider.Decide(null, finding, Raised).State!, [], default, Ct);
                }
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Callers that must get 401 on every authenticated route: no person's valid token.</summary>
    public static TheoryData<string> Unauthenticated =>
    [
        "anonymous", "gateway key header", "gateway key in Authorization", "basic credentials", "empty bearer", "two bearer tokens",
        "expired", "not yet valid", "no expiry", "wrong audience", "wrong issuer", "foreign signature", "unknown key",
        "alg none", "HS256 with the key id", "garbage",
    ];

    /// <summary>Callers with a valid token but no usable role or trust: 403 on every authenticated route.</summary>
    public static TheoryData<string> Unauthorised =>
    [
        "no roles claim", "unknown role", "lead without trust", "lead with the default trust claim only", "lead with an invalid trust", "lead with two trusts",
    ];

    private IReadOnlyDictionary<string, string> Headers(string caller)
    {
        TestTokenIssuer issuer = app.Issuer;
        string Bearer(TokenSpec spec) => "Bearer " + issuer.Mint(spec);
        var reviewer = new TokenSpec { Subject = "reviewer-1", Roles = [AccessClaims.ReviewerRole] };
        var lead = new TokenSpec { Subject = "lead-1", Roles = [AccessClaims.GovernanceLeadRole], Trust = "RX1", TrustClaim = AccessFixture.TrustClaim };
        string? authorization = caller switch
        {
            "anonymous" or "gateway key header" => null,
            "gateway key in Authorization" => "TrustKey c2VjcmV0LWdhdGV3YXkta2V5LW9mLVJYMQ",
            "basic credentials" => "Basic cmV2aWV3ZXI6cGFzc3dvcmQ=",
            "empty bearer" => "Bearer ",
            "two bearer tokens" => $"Bearer {issuer.Mint(reviewer)}, Bearer {issuer.Mint(reviewer)}",
            "expired" => Bearer(reviewer with { IssuedOffset = TimeSpan.FromHours(-2), Lifetime = TimeSpan.FromHours(1) }),
            "not yet valid" => Bearer(reviewer with { IssuedOffset = TimeSpan.FromMinutes(10) }),
            "no expiry" => Bearer(reviewer with { NoExpiry = true }),
            "wrong audience" => Bearer(reviewer with { Audience = "api://another-service" }),
            "wrong issuer" => Bearer(reviewer with { Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0" }),
            "foreign signature" => "Bearer " + TestTokenIssuer.WithForeignSignature(issuer.Mint(reviewer)),
            "unknown key" => Bearer(reviewer with { SignWith = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "not-published" } }),
            "alg none" => Bearer(reviewer with { Algorithm = "none" }),
            "HS256 with the key id" => Bearer(reviewer with { Algorithm = SecurityAlgorithms.HmacSha256 }),
            "garbage" => "Bearer not.a.jwt",
            "no roles claim" => Bearer(reviewer with { Roles = null }),
            "unknown role" => Bearer(reviewer with { Roles = ["admin", "Reviewer"] }),
            "lead without trust" => Bearer(lead with { Trust = null }),
            "lead with the default trust claim only" => Bearer(lead with { TrustClaim = AccessClaims.DefaultTrustClaim }),
            "lead with an invalid trust" => Bearer(lead with { Trust = "RX1/../RY2" }),
            "lead with two trusts" => "Bearer " + LeadWithTwoTrusts(),
            "reviewer" => Bearer(reviewer),
            "reviewer who is also a lead" => Bearer(reviewer with { Roles = [AccessClaims.GovernanceLeadRole, AccessClaims.ReviewerRole], Trust = "RX1", TrustClaim = AccessFixture.TrustClaim }),
            "lead RX1" => "Bearer " + app.Lead("RX1"),
            "lead RY2" => "Bearer " + app.Lead("RY2"),
            "lead rx1 (lower case)" => "Bearer " + app.Lead("rx1"),
            "lead RZ9 (no rows)" => "Bearer " + app.Lead("RZ9"),
            "lead RX1 with gateway key" => "Bearer " + app.Lead("RX1"),
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown caller."),
        };
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (authorization is not null)
        {
            headers["Authorization"] = authorization;
        }

        if (caller is "gateway key header" or "lead RX1 with gateway key")
        {
            headers["x-trust-key"] = "c2VjcmV0LWdhdGV3YXkta2V5LW9mLVJYMQ";
        }

        return headers;
    }

    private string LeadWithTwoTrusts()
    {
        // A JSON array in the trust claim: one person, two trusts, which this service does not support.
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        DateTime now = app.Time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = app.Issuer.Authority,
            Audience = TestTokenIssuer.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                [AccessClaims.Subject] = "lead-2",
                [AccessClaims.Roles] = new[] { AccessClaims.GovernanceLeadRole },
                [AccessFixture.TrustClaim] = new[] { "RX1", "RY2" },
            },
            SigningCredentials = new SigningCredentials(app.Issuer.SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Every authenticated route that exists, with a request each would answer 200 to for a reviewer.</summary>
    private static readonly Dictionary<string, Route> Routes = new(StringComparer.Ordinal)
    {
        ["GetSignals national"] = new("GetSignals", "signals", new() { ["procedure"] = Procedure, ["period"] = "2026-03", ["scope"] = "national" }),
        ["GetSignals trust:*"] = new("GetSignals", "signals", new() { ["procedure"] = Procedure, ["period"] = "2026-Q1", ["scope"] = "trust:*" }),
        ["GetSignals trust:RX1"] = new("GetSignals", "signals", new() { ["procedure"] = Procedure, ["period"] = "all", ["scope"] = "trust:RX1" }),
        ["GetFunnel"] = new("GetFunnel", "funnel", new() { ["procedure"] = Procedure, ["period"] = "all" }),
        ["GetTrends"] = new("GetTrends", "trends", new() { ["procedure"] = Procedure, ["from"] = "2026-01", ["to"] = "2026-06" }),
        ["GetCompleteness"] = new("GetCompleteness", "completeness", new() { ["procedure"] = Procedure, ["period"] = "all" }),
        ["GetAlerts"] = new("GetAlerts", "alerts", new() { ["procedure"] = Procedure }),
        ["AcknowledgeAlert"] = Action("AcknowledgeAlert", "acknowledge", AlertOf("RX1", AcknowledgePeriod)),
        ["ResolveAlert"] = Action("ResolveAlert", "resolve", AlertOf("RX1", ResolvePeriod)),
    };

    private sealed record Route(string Function, string Path, Dictionary<string, string> Query, string Method = "GET", Dictionary<string, string>? RouteValues = null, string? Body = null);

    private static Route Action(string function, string action, AlertId id) =>
        new(function, $"alerts/{Uri.EscapeDataString(id.Value)}/{action}", [], "POST", new() { ["id"] = id.Value }, """{"note":"Reviewed at the governance meeting."}""");

    private Task<Support.HttpOutput> CallAsync(string route, string caller, Dictionary<string, string>? query = null)
    {
        Route r = Routes[route];
        return app.InvokeAsync(r.Function, r.Path, query ?? r.Query, Headers(caller), Ct, r.Method, r.RouteValues, r.Body);
    }

    public static TheoryData<string, string> UnauthenticatedOnEveryRoute()
    {
        var data = new TheoryData<string, string>();
        foreach (string caller in Unauthenticated)
        {
            foreach (string route in Routes.Keys)
            {
                data.Add(caller, route);
            }
        }

        return data;
    }

    public static TheoryData<string, string> UnauthorisedOnEveryRoute()
    {
        var data = new TheoryData<string, string>();
        foreach (string caller in Unauthorised)
        {
            foreach (string route in Routes.Keys)
            {
                data.Add(caller, route);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnauthenticatedOnEveryRoute))]
    public async Task A_caller_without_a_valid_person_token_gets_401_and_no_figures(string caller, string route)
    {
        var before = await AlertsVersionAsync();

        var answer = await CallAsync(route, caller);

        Assert.Equal(401, answer.StatusCode);
        JsonNode body = JsonNode.Parse(answer.Body!)!;
        Assert.Equal("access_denied", (string?)body["error"]);
        Assert.Null(body["rows"]);
        Assert.DoesNotContain("eyJ", answer.Body!, StringComparison.Ordinal); // no token echoed back
        Assert.DoesNotContain("RX1", answer.Body!, StringComparison.Ordinal);
        Assert.Equal(before, await AlertsVersionAsync()); // and nothing acknowledged or resolved
    }

    /// <summary>The ETags of every seeded alert: any change of any alert changes this.</summary>
    private async Task<string> AlertsVersionAsync()
    {
        var tags = new List<string>();
        foreach (string period in new[] { AcknowledgePeriod, ResolvePeriod })
        {
            foreach (string scope in AlertScopes.Keys)
            {
                tags.Add((await app.Alerts.GetAsync(AlertOf(scope, period), Ct))!.ETag.ToString());
            }
        }

        return string.Join(",", tags);
    }

    [Theory]
    [MemberData(nameof(UnauthorisedOnEveryRoute))]
    public async Task A_valid_token_without_a_usable_role_or_trust_gets_403_and_no_figures(string caller, string route)
    {
        var before = await AlertsVersionAsync();

        var answer = await CallAsync(route, caller);

        Assert.Equal(403, answer.StatusCode);
        JsonNode body = JsonNode.Parse(answer.Body!)!;
        Assert.Equal("access_denied", (string?)body["error"]);
        Assert.Null(body["rows"]);
        Assert.DoesNotContain("RX1", answer.Body!, StringComparison.Ordinal);
        Assert.Equal(before, await AlertsVersionAsync());
    }

    /// <summary>
    /// Dashboard and alert reads: caller, route, extra query, status, and the trusts whose ODS codes must and must
    /// not appear anywhere in the answer.
    /// </summary>
    public static TheoryData<string, string, string, int, string, string> ReadMatrix => new()
    {
        { "reviewer", "GetFunnel", "", 200, "RX1,RY2", "" },
        { "lead RX1", "GetFunnel", "", 200, "RX1", "RY2" },
        { "lead RY2", "GetFunnel", "", 200, "RY2", "RX1" },
        { "reviewer", "GetTrends", "trust=RY2", 200, "RY2", "" },
        { "reviewer", "GetTrends", "trust=RX1", 200, "RX1", "RY2" },
        { "lead RX1", "GetTrends", "", 200, "RX1", "RY2" },
        { "lead RX1", "GetTrends", "trust=RX1", 200, "RX1", "RY2" },
        { "lead RX1", "GetTrends", "trust=RY2", 403, "", "" },
        { "lead RY2", "GetTrends", "trust=RX1", 403, "", "" },
        { "reviewer", "GetCompleteness", "", 200, "RX1,RY2", "" },
        { "lead RX1", "GetCompleteness", "", 200, "RX1", "RY2" },
        { "lead RY2", "GetCompleteness", "", 200, "RY2", "RX1" },
        { "reviewer", "GetAlerts", "", 200, "RX1,RY2", "" },
        { "reviewer", "GetAlerts", "trust=RY2", 200, "RY2", "RX1" },
        { "lead RX1", "GetAlerts", "", 200, "RX1", "RY2" },
        { "lead RX1", "GetAlerts", "trust=RX1", 200, "RX1", "RY2" },
        { "lead RX1", "GetAlerts", "trust=RY2", 403, "", "" },
        { "lead RY2", "GetAlerts", "", 200, "RY2", "RX1" },
        { "lead RZ9 (no rows)", "GetAlerts", "", 200, "", "RX1" },
    };

    [Theory]
    [MemberData(nameof(ReadMatrix))]
    public async Task Dashboard_and_alert_reads_show_a_lead_their_own_trust_only_and_a_reviewer_every_trust(string caller, string route, string extra, int status, string present, string absent)
    {
        var query = new Dictionary<string, string>(Routes[route].Query);
        foreach (string pair in extra.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            query[pair.Split('=')[0]] = pair.Split('=')[1];
        }

        var answer = await CallAsync(route, caller, query);

        Assert.Equal(status, answer.StatusCode);
        foreach (string trust in present.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(trust, answer.Body!, StringComparison.Ordinal);
        }

        foreach (string trust in absent.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotContain(trust, answer.Body!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reviewer_sees_every_alert_and_a_lead_their_trusts_and_the_national_ones()
    {
        static string[] Ids(Support.HttpOutput answer) =>
            [.. JsonNode.Parse(answer.Body!)!["alerts"]!.AsArray().Select(a => (string)a!["id"]!).Order(StringComparer.Ordinal)];
        static string[] Of(params (string Scope, string Period)[] alerts) =>
            [.. alerts.Select(a => AlertOf(a.Scope, a.Period).Value).Order(StringComparer.Ordinal)];

        var reviewer = await CallAsync("GetAlerts", "reviewer");
        var lead = await CallAsync("GetAlerts", "lead RX1");

        Assert.Equal(Of([.. AlertScopes.Keys.SelectMany(s => new[] { (s, AcknowledgePeriod), (s, ResolvePeriod) })]), Ids(reviewer));
        Assert.Equal(Of(("RX1", AcknowledgePeriod), ("RX1", ResolvePeriod), ("national", AcknowledgePeriod), ("national", ResolvePeriod)), Ids(lead));
    }

    /// <summary>Alert actions: caller, function, the alert's scope, expected status.</summary>
    public static TheoryData<string, string, string, int> ActionMatrix()
    {
        var data = new TheoryData<string, string, string, int>();
        foreach (string function in new[] { "AcknowledgeAlert", "ResolveAlert" })
        {
            data.Add("reviewer", function, "RY2", 200);
            data.Add("reviewer", function, "device", 200);
            data.Add("lead RX1", function, "RX1", 200);
            data.Add("lead RX1", function, "RY2", 404); // another trust's alert is not even there
            data.Add("lead RX1", function, "device", 404);
            data.Add("lead RX1", function, "national", 403); // seen, but not theirs to act on
            data.Add("lead RY2", function, "RX1", 404);
            data.Add("lead RY2", function, "RY2", 200);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionMatrix))]
    public async Task A_lead_acts_on_their_own_trusts_alerts_only_and_a_reviewer_on_any(string caller, string function, string scope, int status)
    {
        string period = function == "AcknowledgeAlert" ? AcknowledgePeriod : ResolvePeriod;
        AlertId id = AlertOf(scope, period);
        var before = (await app.Alerts.GetAsync(id, Ct))!;
        Route route = Action(function, function == "AcknowledgeAlert" ? "acknowledge" : "resolve", id);

        var answer = await app.InvokeAsync(route.Function, route.Path, route.Query, Headers(caller), Ct, route.Method, route.RouteValues, route.Body);

        Assert.Equal(status, answer.StatusCode);
        var after = (await app.Alerts.GetAsync(id, Ct))!;
        if (status == 200)
        {
            Assert.Equal(function == "AcknowledgeAlert" ? AlertStatus.Acknowledged : AlertStatus.Resolved, after.State.Status);
        }
        else
        {
            Assert.Equal(before.ETag, after.ETag);
            Assert.DoesNotContain(scope == "device" ? Device : scope, answer.Body ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>GetSignals: caller, scope asked, expected status, and the scopes of the rows returned (comma-separated, sorted).</summary>
    public static TheoryData<string, string, int, string> SignalsMatrix => new()
    {
        { "reviewer", "national", 200, "national" },
        { "reviewer", "trust:RX1", 200, "trust:RX1" },
        { "reviewer", "trust:RY2", 200, "trust:RY2" },
        { "reviewer", "trust:*", 200, "trust:RX1,trust:RY2" },
        { "reviewer", "device:*", 200, $"device:{Device}" },
        { "reviewer", $"device:{Device}", 200, $"device:{Device}" },
        { "reviewer", "*", 200, $"device:{Device},national,trust:RX1,trust:RY2" },
        { "reviewer who is also a lead", "trust:*", 200, "trust:RX1,trust:RY2" },
        { "lead RX1", "national", 200, "national" },
        { "lead RX1", "trust:RX1", 200, "trust:RX1" },
        { "lead RX1", "trust:rx1", 200, "trust:RX1" },
        { "lead RX1", "trust:*", 200, "trust:RX1" },
        { "lead RX1", "trust:RY2", 403, "" },
        { "lead RX1", "device:*", 403, "" },
        { "lead RX1", $"device:{Device}", 403, "" },
        { "lead RX1", "*", 403, "" },
        { "lead rx1 (lower case)", "trust:*", 200, "trust:RX1" },
        { "lead RX1 with gateway key", "trust:*", 200, "trust:RX1" },
        { "lead RY2", "national", 200, "national" },
        { "lead RY2", "trust:RY2", 200, "trust:RY2" },
        { "lead RY2", "trust:*", 200, "trust:RY2" },
        { "lead RY2", "trust:RX1", 403, "" },
        { "lead RY2", "device:*", 403, "" },
        { "lead RY2", "*", 403, "" },
        { "lead RZ9 (no rows)", "trust:*", 200, "" },
        { "lead RZ9 (no rows)", "trust:RX1", 403, "" },
    };

    [Theory]
    [MemberData(nameof(SignalsMatrix))]
    public async Task GetSignals_answers_each_role_and_trust_with_exactly_the_rows_it_may_see(string caller, string scope, int status, string scopes)
    {
        var query = new Dictionary<string, string> { ["procedure"] = Procedure, ["period"] = "2026-Q1", ["scope"] = scope };

        var answer = await app.InvokeAsync("GetSignals", "signals", query, Headers(caller), Ct);

        Assert.Equal(status, answer.StatusCode);
        JsonNode body = JsonNode.Parse(answer.Body!)!;
        if (status == 200)
        {
            var returned = body["rows"]!.AsArray().Select(r => (string)r!["scope"]!).Order(StringComparer.Ordinal);
            Assert.Equal(scopes, string.Join(",", returned));
        }
        else
        {
            Assert.Null(body["rows"]);
            Assert.Equal("access_denied", (string?)body["error"]);
        }
    }

    [Fact]
    public async Task A_lead_asking_for_every_trust_gets_a_report_scoped_to_their_own_trust()
    {
        var query = new Dictionary<string, string> { ["procedure"] = Procedure, ["period"] = "2026-Q1", ["scope"] = "trust:*" };

        var answer = await app.InvokeAsync("GetSignals", "signals", query, Headers("lead RY2"), Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("trust:RY2", (string?)JsonNode.Parse(answer.Body!)!["scope"]);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("gateway key header")]
    [InlineData("expired")]
    [InlineData("no roles claim")]
    [InlineData("reviewer")]
    public async Task Health_and_the_public_summary_answer_anyone(string caller)
    {
        var health = await app.InvokeAsync("Health", "health", new Dictionary<string, string>(), Headers(caller), Ct);
        var summary = await app.InvokeAsync("GetPublicSummary", "public/summary", new Dictionary<string, string> { ["procedure"] = Procedure, ["period"] = "2026-Q1" }, Headers(caller), Ct);

        Assert.Equal(200, health.StatusCode);
        Assert.Equal(200, summary.StatusCode);
    }
}
