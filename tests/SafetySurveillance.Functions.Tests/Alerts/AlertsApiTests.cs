using System.Text.Json.Nodes;
using NSubstitute;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Tests.EvaluateSignals;
using SafetySurveillance.Functions.Tests.Support;
using SafetySurveillance.Storage.Alerts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Alerts;

/// <summary>
/// The alert HTTP functions in the function app, on Azurite, with the caller authenticator substituted: the bearer
/// token names the caller (<c>Bearer reviewer</c>, <c>Bearer lead-rx1</c>, …). Each test uses its own procedure code.
/// </summary>
public sealed class AlertsApiTests : IClassFixture<AlertsAppFixture>
{
    private static readonly Caller Reviewer = new("sub-reviewer-1", "Rita Reviewer", CallerRole.Reviewer, null);
    private static readonly Caller LeadRx1 = new("sub-lead-rx1", "Lee Lead", CallerRole.GovernanceLead, "RX1");
    private static readonly DateTimeOffset Raised = new(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly AlertsAppFixture _app;

    public AlertsApiTests(AlertsAppFixture app)
    {
        _app = app;
        _app.Authenticator.AuthenticateAsync(Arg.Any<HttpRequestData>(), Arg.Any<CancellationToken>()).Returns(call =>
            ValueTask.FromResult(call.Arg<HttpRequestData>().Header("Authorization") switch
            {
                "Bearer reviewer" => Authentication.Allow(Reviewer),
                "Bearer lead-rx1" => Authentication.Allow(LeadRx1),
                "Bearer no-role" => Authentication.Deny(403, "The token carries no role of this app."),
                _ => Authentication.Deny(401, "Sign in."),
            }));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AlertState Alert(string procedure, SignalScope scope, string rule = "death-sentinel", string period = "2026-03") =>
        AlertDecider.Decide(null, new Finding(rule, "sentinel", procedure, scope, SignalPeriod.Parse(period), Severity.Alarm, new Evidence(2, 17), $"2 Deaths in {scope}."), Raised).State!;

    /// <summary>One alert of each scope for <paramref name="procedure"/>: RX1, RY2, national, device.</summary>
    private async Task<(AlertState Rx1, AlertState Ry2, AlertState National, AlertState Device)> SeedAsync(string procedure)
    {
        var alerts = (
            Alert(procedure, SignalScope.Trust("RX1")),
            Alert(procedure, SignalScope.Trust("RY2")),
            Alert(procedure, SignalScope.National, "serious-related-rate", "all"),
            Alert(procedure, SignalScope.Device("(01)0501/23"), "serious-related-funnel", "all"));
        foreach (AlertState state in new[] { alerts.Item1, alerts.Item2, alerts.Item3, alerts.Item4 })
        {
            await _app.Alerts.SaveAsync(state, [], default, Ct);
        }

        return alerts;
    }

    private Task<HttpOutput> GetAsync(string token, Dictionary<string, string> query) =>
        HttpTriggerInvocation.PostAsync(_app.Handler, "GetAlerts", Request("GET", "alerts", token, query, [], null), Ct);

    private Task<HttpOutput> ActAsync(string function, string token, string id, string? body = null, string action = "acknowledge") =>
        HttpTriggerInvocation.PostAsync(_app.Handler, function, Request("POST", $"alerts/{Uri.EscapeDataString(id)}/{action}", token, [], new() { ["id"] = id }, body), Ct);

    private static JsonObject Request(string method, string path, string token, Dictionary<string, string> query, Dictionary<string, string> routeParams, string? body)
    {
        var queryJson = new JsonObject();
        foreach (var (name, value) in query)
        {
            queryJson[name] = value;
        }

        var paramsJson = new JsonObject();
        foreach (var (name, value) in routeParams)
        {
            paramsJson[name] = value;
        }

        return new JsonObject
        {
            ["Url"] = "https://func-safety.azurewebsites.net/api/" + path,
            ["Method"] = method,
            ["Query"] = queryJson,
            ["Headers"] = new JsonObject { ["Authorization"] = new JsonArray(token), ["Accept"] = new JsonArray("application/json") },
            ["Params"] = paramsJson,
            ["Body"] = body,
        };
    }

    private static List<string> Ids(HttpOutput answer) =>
        [.. JsonNode.Parse(answer.Body!)!["alerts"]!.AsArray().Select(a => (string)a!["id"]!).Order(StringComparer.Ordinal)];

    private static string[] Of(params AlertState[] states) => [.. states.Select(s => s.Id.Value).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_reviewer_sees_every_alert_with_its_evidence_lifecycle_and_dashboard_link()
    {
        var (rx1, ry2, national, device) = await SeedAsync("Y10.1");

        HttpOutput answer = await GetAsync("Bearer reviewer", new() { ["procedure"] = "Y10.1" });

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(Of(rx1, ry2, national, device), Ids(answer));
        JsonNode view = JsonNode.Parse(answer.Body!)!["alerts"]!.AsArray().Single(a => (string)a!["id"]! == rx1.Id.Value)!;
        Assert.Equal("https://surveillance.example.nhs.uk/dashboard/#/alerts/" + Uri.EscapeDataString(rx1.Id.Value), (string)view["dashboardUrl"]!);
        Assert.Equal(2, (long)view["evidence"]!["numerator"]!);
        Assert.Equal(17, (long)view["evidence"]!["denominator"]!);
        Assert.Equal("alarm", (string)view["severity"]!);
        Assert.Equal("open", (string)view["status"]!);
        Assert.Equal("trust:RX1", (string)view["scope"]!);
        Assert.Equal("RX1", (string)view["trustOds"]!);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task A_governance_lead_sees_their_own_trusts_and_national_alerts_only()
    {
        var (rx1, _, national, _) = await SeedAsync("Y10.2");

        HttpOutput all = await GetAsync("Bearer lead-rx1", new() { ["procedure"] = "Y10.2" });
        HttpOutput ownTrust = await GetAsync("Bearer lead-rx1", new() { ["procedure"] = "Y10.2", ["trust"] = "rx1" });
        HttpOutput otherTrust = await GetAsync("Bearer lead-rx1", new() { ["procedure"] = "Y10.2", ["trust"] = "RY2" });

        Assert.Equal(Of(rx1, national), Ids(all));
        Assert.Equal(Of(rx1), Ids(ownTrust));
        Assert.Equal(403, otherTrust.StatusCode);
    }

    [Fact]
    public async Task Alerts_can_be_filtered_by_status_and_trust()
    {
        var (rx1, ry2, _, _) = await SeedAsync("Y10.3");
        AlertState resolved = AlertLifecycle.Resolve(ry2, new AlertAction("sub-reviewer-1", Raised.AddDays(1))).State!;
        StoredAlert stored = (await _app.Alerts.GetAsync(ry2.Id, Ct))!;
        await _app.Alerts.SaveAsync(resolved, [], stored.ETag, Ct);

        Assert.Equal(Of(ry2), Ids(await GetAsync("Bearer reviewer", new() { ["procedure"] = "Y10.3", ["status"] = "Resolved" })));
        Assert.Equal(Of(rx1), Ids(await GetAsync("Bearer reviewer", new() { ["procedure"] = "Y10.3", ["trust"] = "RX1", ["status"] = "open" })));
    }

    [Fact]
    public async Task Bad_parameters_are_listed_and_callers_without_a_valid_token_or_role_are_refused()
    {
        HttpOutput invalid = await GetAsync("Bearer reviewer", new() { ["status"] = "closed", ["colour"] = "red" });
        HttpOutput anonymous = await GetAsync("Bearer nobody", []);
        HttpOutput noRole = await GetAsync("Bearer no-role", []);

        Assert.Equal(400, invalid.StatusCode);
        var problems = JsonNode.Parse(invalid.Body!)!["problems"]!.AsArray().Select(p => (string)p!["parameter"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["colour", "status"], problems);
        Assert.Equal(401, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers["WWW-Authenticate"]);
        Assert.Equal(403, noRole.StatusCode);
    }

    [Fact]
    public async Task A_lead_acknowledges_their_own_trusts_alert_and_is_recorded_as_who_with_the_note()
    {
        var (rx1, _, _, _) = await SeedAsync("Y10.4");

        HttpOutput answer = await ActAsync("AcknowledgeAlert", "Bearer lead-rx1", rx1.Id.Value, "{\"note\": \"MDT review booked\"}");

        Assert.Equal(200, answer.StatusCode);
        JsonNode view = JsonNode.Parse(answer.Body!)!;
        Assert.Equal("acknowledged", (string)view["status"]!);
        Assert.Equal("sub-lead-rx1", (string)view["acknowledged"]!["by"]!);
        AlertState stored = (await _app.Alerts.GetAsync(rx1.Id, Ct))!.State;
        Assert.Equal(AlertStatus.Acknowledged, stored.Status);
        Assert.Equal(new AlertAction("sub-lead-rx1", AlertsAppFixture.Now, "MDT review booked"), stored.Acknowledged);
    }

    [Fact]
    public async Task A_lead_may_not_act_on_national_alerts_and_cannot_find_other_trusts_alerts()
    {
        var (_, ry2, national, device) = await SeedAsync("Y10.5");

        HttpOutput onNational = await ActAsync("AcknowledgeAlert", "Bearer lead-rx1", national.Id.Value);
        HttpOutput onOtherTrust = await ActAsync("ResolveAlert", "Bearer lead-rx1", ry2.Id.Value, action: "resolve");
        HttpOutput onDevice = await ActAsync("AcknowledgeAlert", "Bearer lead-rx1", device.Id.Value);
        HttpOutput missing = await ActAsync("AcknowledgeAlert", "Bearer lead-rx1", "Y10.5|2026-03|death-sentinel|trust:RX1".Replace("2026-03", "2026-04", StringComparison.Ordinal));

        Assert.Equal(403, onNational.StatusCode);
        Assert.Equal(404, onOtherTrust.StatusCode);
        Assert.Equal(404, onDevice.StatusCode);
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(onOtherTrust.Body, missing.Body);
        foreach (AlertState state in new[] { ry2, national, device })
        {
            Assert.Equal(AlertStatus.Open, (await _app.Alerts.GetAsync(state.Id, Ct))!.State.Status);
        }
    }

    [Fact]
    public async Task A_reviewer_resolves_any_alert_resolving_again_changes_nothing_and_a_resolved_alert_cannot_be_acknowledged()
    {
        var (_, _, _, device) = await SeedAsync("Y10.6");

        HttpOutput resolved = await ActAsync("ResolveAlert", "Bearer reviewer", device.Id.Value, action: "resolve");
        StoredAlert afterFirst = (await _app.Alerts.GetAsync(device.Id, Ct))!;
        HttpOutput again = await ActAsync("ResolveAlert", "Bearer reviewer", device.Id.Value, "{\"note\": \"second try\"}", action: "resolve");
        HttpOutput acknowledge = await ActAsync("AcknowledgeAlert", "Bearer reviewer", device.Id.Value);

        Assert.Equal(200, resolved.StatusCode);
        Assert.Equal("resolved", (string)JsonNode.Parse(resolved.Body!)!["status"]!);
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(409, acknowledge.StatusCode);
        StoredAlert afterAll = (await _app.Alerts.GetAsync(device.Id, Ct))!;
        Assert.Equal(afterFirst.ETag, afterAll.ETag);
        Assert.Equal(new AlertAction("sub-reviewer-1", AlertsAppFixture.Now), afterAll.State.Resolved);
    }

    [Fact]
    public async Task A_note_holding_an_nhs_number_or_a_malformed_body_is_refused_and_nothing_is_stored()
    {
        var (rx1, _, _, _) = await SeedAsync("Y10.7");

        HttpOutput withNhsNumber = await ActAsync("AcknowledgeAlert", "Bearer reviewer", rx1.Id.Value, "{\"note\": \"patient 943 476 5919 had a revision\"}");
        HttpOutput malformed = await ActAsync("AcknowledgeAlert", "Bearer reviewer", rx1.Id.Value, "{\"note\": 12}");
        HttpOutput unknown = await ActAsync("AcknowledgeAlert", "Bearer reviewer", rx1.Id.Value, "{\"who\": \"me\"}");

        Assert.Equal(400, withNhsNumber.StatusCode);
        Assert.Contains("NHS number", withNhsNumber.Body, StringComparison.Ordinal);
        Assert.Equal(400, malformed.StatusCode);
        Assert.Equal(400, unknown.StatusCode);
        Assert.Equal(AlertStatus.Open, (await _app.Alerts.GetAsync(rx1.Id, Ct))!.State.Status);
    }

    [Fact]
    public async Task An_acknowledgement_keeps_a_send_still_waiting_in_the_alerts_outbox()
    {
        var decision = AlertDecider.Decide(null, new Finding("death-sentinel", "sentinel", "Y10.8", SignalScope.Trust("RX1"), SignalPeriod.Month(2026, 3), Severity.Alarm, new Evidence(1, 3), "1 Deaths."), Raised);
        await _app.Alerts.SaveAsync(decision.State!, [AlertNotification.From(decision)], default, Ct);

        HttpOutput answer = await ActAsync("AcknowledgeAlert", "Bearer lead-rx1", decision.State!.Id.Value);

        Assert.Equal(200, answer.StatusCode);
        StoredAlert stored = (await _app.Alerts.GetAsync(decision.State.Id, Ct))!;
        Assert.Equal(AlertStatus.Acknowledged, stored.State.Status);
        Assert.Equal([AlertNotification.From(decision)], stored.PendingSends);
    }

    [Theory]
    [InlineData("patient 9434765919", true)]
    [InlineData("943-476-5919", true)]
    [InlineData("9434765918", false)]
    [InlineData("94347659190", false)]
    [InlineData("ref 12345", false)]
    public void Notes_are_screened_for_nhs_numbers(string note, bool found)
    {
        Assert.Equal(found, Functions.Alerts.AlertNote.ContainsNhsNumber(note));
    }
}
