using System.Text;
using System.Text.Json.Nodes;
using MailKit.Security;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.DispatchGovernanceAlerts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.DispatchGovernanceAlerts;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Signs_the_Standard_Webhooks_reference_vector()
    {
        // The test vector published with the Standard Webhooks reference libraries.
        var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_key_without_the_whsec_prefix_is_used_as_its_utf8_bytes_and_exported_as_the_equivalent_whsec_secret()
    {
        var plain = new WebhookSigner("local-development-only-webhook-signing-key");
        var exported = new WebhookSigner(plain.StandardSecret);
        var body = Encoding.UTF8.GetBytes("{}");

        Assert.Equal("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("local-development-only-webhook-signing-key")), plain.StandardSecret);
        Assert.Equal(plain.Sign("msg_1", 1700000000, body), exported.Sign("msg_1", 1700000000, body));
    }

    [Fact]
    public void A_whsec_key_that_is_not_base64_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new WebhookSigner("whsec_not*base64"));
    }
}

public sealed class WebhookRetryPolicyTests
{
    [Fact]
    public void The_back_off_doubles_up_to_the_cap_and_jitter_keeps_it_between_half_and_all_of_it()
    {
        var policy = new WebhookRetryPolicy { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) };

        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(2, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(3, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(4, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayBefore(5, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayBefore(9, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(4, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(4, 0.5));
    }

    [Fact]
    public void The_defaults_fit_several_attempts_inside_the_total_budget()
    {
        var policy = WebhookRetryPolicy.Default;
        var worst = TimeSpan.Zero;
        for (var attempt = 2; attempt <= policy.MaxAttempts; attempt++)
        {
            worst += policy.DelayBefore(attempt, 1.0);
        }

        Assert.True(worst + policy.AttemptTimeout <= policy.TotalBudget, $"back-off {worst} plus one attempt exceeds {policy.TotalBudget}");
        Assert.InRange(policy.AttemptTimeout, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }
}

public sealed class AlertContentTests
{
    private static readonly Uri Dashboard = new("https://surveillance.example.test/api/dashboard/");

    [Fact]
    public void The_dashboard_link_url_encodes_the_alert_id_after_the_alerts_route()
    {
        var alert = DispatchFixture.TrustAlarm("A48.4", "RX1");

        var content = AlertContent.Create(alert, Dashboard);

        Assert.Equal("https://surveillance.example.test/api/dashboard/#/alerts/A48.4%7C2026-03%7Cdeath-sentinel%7Ctrust%3ARX1", content.DashboardLink.AbsoluteUri);
    }

    [Fact]
    public void The_webhook_id_is_stable_per_send_and_has_no_dot_although_the_alert_id_has_one()
    {
        var first = AlertContent.Create(DispatchFixture.TrustAlarm("A48.4", "RX1"), Dashboard);
        var again = AlertContent.Create(DispatchFixture.TrustAlarm("A48.4", "RX1"), Dashboard);
        var escalation = AlertContent.Create(DispatchFixture.TrustAlarm("A48.4", "RX1", send: 2), Dashboard);

        Assert.Equal(first.WebhookId, again.WebhookId);
        Assert.NotEqual(first.WebhookId, escalation.WebhookId);
        Assert.DoesNotContain('.', first.WebhookId);
        Assert.True(first.WebhookBody.Span.SequenceEqual(again.WebhookBody.Span), "The same send must serialise to the same bytes.");
    }

    [Fact]
    public void Message_ids_differ_per_recipient_and_ignore_the_address_case()
    {
        var content = AlertContent.Create(DispatchFixture.TrustAlarm("A48.4", "RX1"), Dashboard);

        Assert.Equal(content.MessageIdFor("Lead@Trust.test", "alerts@nhs.test"), content.MessageIdFor("lead@trust.test", "alerts@nhs.test"));
        Assert.NotEqual(content.MessageIdFor("lead@trust.test", "alerts@nhs.test"), content.MessageIdFor("deputy@trust.test", "alerts@nhs.test"));
        Assert.EndsWith("@nhs.test", content.MessageIdFor("lead@trust.test", "alerts@nhs.test"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_body_is_a_Standard_Webhooks_event_with_the_alert_and_its_evidence()
    {
        var alert = DispatchFixture.TrustAlarm("A48.4", "RX1", send: 2);

        var body = JsonNode.Parse(AlertContent.Create(alert, Dashboard).WebhookBody.Span)!;

        Assert.Equal("alert.escalated", (string)body["type"]!);
        Assert.Equal(alert.DecidedAt, (DateTimeOffset)body["timestamp"]!);
        var data = body["data"]!;
        Assert.Equal(alert.AlertId, (string)data["alertId"]!);
        Assert.Equal(alert.DeliveryKey, (string)data["deliveryKey"]!);
        Assert.Equal("RX1", (string)data["trustOds"]!);
        Assert.Equal("alarm", (string)data["severity"]!);
        Assert.Equal(40, (long)data["evidence"]!["denominator"]!);
        Assert.StartsWith(Dashboard.AbsoluteUri + "#/alerts/", (string)data["dashboardUrl"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_body_escapes_what_the_summary_holds()
    {
        var alert = DispatchFixture.TrustAlarm("A48.4", "RX1") with { Summary = "<script>alert(1)</script> & more" };

        var content = AlertContent.Create(alert, Dashboard);

        Assert.DoesNotContain("<script>", content.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", content.Html, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> & more", content.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_scope_is_shown_decoded()
    {
        var alert = DispatchFixture.NationalWarning("A48.4") with { Scope = "device:123%2FABC" };

        Assert.Equal("device 123/ABC", AlertContent.Create(alert, Dashboard).ScopeText);
    }
}

public sealed class AlertMailerTests
{
    [Theory]
    [InlineData("localhost", 2525, SecureSocketOptions.None)]
    [InlineData("127.0.0.1", 25, SecureSocketOptions.None)]
    [InlineData("::1", 587, SecureSocketOptions.None)]
    [InlineData("[::1]", 587, SecureSocketOptions.None)]
    [InlineData("smtp.office365.com", 587, SecureSocketOptions.StartTls)]
    [InlineData("relay.nhs.net", 25, SecureSocketOptions.StartTls)]
    [InlineData("smtp.example.test", 465, SecureSocketOptions.SslOnConnect)]
    [InlineData("localhost.example.test", 587, SecureSocketOptions.StartTls)]
    public void Plain_SMTP_only_to_loopback_and_TLS_required_elsewhere(string host, int port, SecureSocketOptions expected)
    {
        Assert.Equal(expected, AlertMailer.SecurityFor(host, port));
    }

    [Fact]
    public void One_message_names_one_recipient_and_marks_itself_auto_generated()
    {
        var content = AlertContent.Create(DispatchFixture.TrustAlarm("A48.4", "RX1"), new Uri("https://dash.test/"));

        using var message = AlertMailer.Compose(content, "lead@trust.test", "alerts@nhs.test", DateTimeOffset.UnixEpoch);

        Assert.Equal("lead@trust.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Empty(message.Cc);
        Assert.Empty(message.Bcc);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal(content.MessageIdFor("lead@trust.test", "alerts@nhs.test"), message.MessageId);
        Assert.Equal(content.Text, message.TextBody);
        Assert.Equal(content.Html, message.HtmlBody);
    }
}

public sealed class NotificationCheckTests
{
    [Fact]
    public void A_notification_from_the_evaluator_passes()
    {
        Assert.Empty(NotificationCheck.Problems(DispatchFixture.TrustAlarm("A48.4", "RX1")));
        Assert.Empty(NotificationCheck.Problems(DispatchFixture.NationalWarning("A48.4")));
    }

    [Fact]
    public void A_message_missing_its_fields_lists_each_problem()
    {
        Assert.False(DispatchGovernanceAlertsFunction.TryRead("{\"send\":0}", out _, out var problem));

        Assert.Contains("alertId is missing", problem, StringComparison.Ordinal);
        Assert.Contains("send must be between", problem, StringComparison.Ordinal);
        Assert.Contains("summary is missing", problem, StringComparison.Ordinal);
        Assert.Contains("evidence is missing", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_id_that_is_not_a_table_key_or_a_malformed_trust_is_refused()
    {
        var alert = DispatchFixture.TrustAlarm("A48.4", "RX1");

        Assert.Contains("alertId is missing or not a valid table key.", NotificationCheck.Problems(alert with { AlertId = "a/b#c" }));
        Assert.Contains("trustOds is not an ODS code.", NotificationCheck.Problems(alert with { TrustOds = "rx1; drop" }));
        Assert.Contains("kind must be raise, escalate or reopen.", NotificationCheck.Problems(alert with { Kind = AlertDecisionKind.UpdateEvidence }));
    }
}

public sealed class KeyedGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_holder_of_the_same_key_waits_until_the_first_releases_and_other_keys_do_not()
    {
        var gate = new KeyedGate();
        var first = await gate.EnterAsync("a", Ct);

        var same = gate.EnterAsync("a", Ct);
        var other = await gate.EnterAsync("b", Ct);

        Assert.False(same.IsCompleted);
        first.Dispose();
        (await same).Dispose();
        other.Dispose();
        Assert.Equal(0, gate.ActiveKeys);
    }
}
