using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.LocalServices.Maildev;
using SafetySurveillance.Storage.Deliveries;
using Xunit;

namespace SafetySurveillance.Functions.Tests.DispatchGovernanceAlerts;

/// <summary>
/// DispatchGovernanceAlerts end to end inside the function app: real maildev, a real webhook receiver, real Azurite.
/// Each test has its own procedure code and trust, so the shared inbox and receiver are filtered by alert id.
/// </summary>
public sealed class DispatchGovernanceAlertsTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trust_alert_reaches_the_trust_leads_and_webhook_and_the_national_recipients_once_each()
    {
        var hook = "trust-r1a";
        await fixture.RegisterTrustAsync("R1A", ["lead@r1a.test", "deputy@r1a.test"], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T01.1", "R1A");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(200, answer.StatusCode);
        var emails = await fixture.EmailsForAsync(alert.AlertId, Ct);
        Assert.Equal(
            ["deputy@r1a.test", "lead@r1a.test", "national.one@reviewers.test", "national.two@reviewers.test"],
            emails.Select(e => Assert.Single(e.EnvelopeRecipients)).Order(StringComparer.Ordinal));
        Assert.All(emails, e => Assert.Equal(DispatchFixture.From, Assert.Single(e.From).Address));
        var trustHook = Assert.Single(fixture.Webhooks.Received(hook));
        var nationalHook = Assert.Single(NationalHooks(alert));
        AssertSignedNow(trustHook);
        AssertSignedNow(nationalHook);
        Assert.Equal(trustHook.Header("webhook-id"), nationalHook.Header("webhook-id"));

        var rows = await fixture.DeliveryStore.GetSendAsync(alert.AlertId, 1, Ct);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Equal(4, rows.Count(r => r.Channel == DeliveryChannel.Email));
    }

    [Fact]
    public async Task The_email_carries_the_summary_evidence_scope_and_dashboard_link_with_a_stable_message_id()
    {
        await fixture.RegisterTrustAsync("R1B", ["lead@r1b.test"], null, Ct);
        var alert = DispatchFixture.TrustAlarm("T02.1", "R1B");

        await fixture.App.InvokeAsync(alert, Ct);

        var email = Assert.Single(await fixture.EmailsForAsync(alert.AlertId, Ct), e => e.EnvelopeRecipients.Contains("lead@r1b.test"));
        Assert.Equal("[Safety alert] Alarm: death-sentinel, trust R1B, T02.1 2026-03 (raised)", email.Subject);
        Assert.Contains(alert.Summary, email.Text, StringComparison.Ordinal);
        Assert.Contains("3 of 40", email.Text, StringComparison.Ordinal);
        Assert.Contains("7.5%", email.Text, StringComparison.Ordinal);
        Assert.Contains("95% interval:", email.Text, StringComparison.Ordinal);
        Assert.Contains("2.6% to 19.9%", email.Text, StringComparison.Ordinal);
        Assert.Contains("Benchmark:", email.Text, StringComparison.Ordinal);
        var link = DispatchFixture.DashboardBase + "#/alerts/" + Uri.EscapeDataString(alert.AlertId);
        Assert.Contains(link, email.Text, StringComparison.Ordinal);
        Assert.Contains(link, email.Html, StringComparison.Ordinal);
        Assert.Equal("auto-generated", email.Header("auto-submitted"));

        var expectedId = "<" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(alert.DeliveryKey + "\nlead@r1b.test")))[..32] + "@alerts.test>";
        Assert.Equal(expectedId, email.MessageId);
    }

    [Fact]
    public async Task Invoking_the_same_message_again_sends_nothing_twice()
    {
        var hook = "trust-r1c";
        await fixture.RegisterTrustAsync("R1C", ["lead@r1c.test"], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T03.1", "R1C");

        var first = await fixture.App.InvokeAsync(alert, Ct);
        var again = await fixture.App.InvokeAsync(alert, Ct, dequeueCount: 2);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(3, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Single(NationalHooks(alert));
        Assert.Contains(again.Logs, l => l.Contains("0 delivered, 5 already delivered, 0 failed", StringComparison.Ordinal));
        Assert.All(await fixture.DeliveryStore.GetSendAsync(alert.AlertId, 1, Ct), r => Assert.Equal(1, r.Attempts));
    }

    [Fact]
    public async Task Two_copies_of_one_send_dispatched_at_the_same_time_deliver_once_per_recipient()
    {
        var hook = "trust-r1d";
        await fixture.RegisterTrustAsync("R1D", ["lead@r1d.test"], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T04.1", "R1D");

        var answers = await Task.WhenAll(fixture.App.InvokeAsync(alert, Ct), fixture.App.InvokeAsync(alert, Ct));

        Assert.All(answers, a => Assert.Equal(200, a.StatusCode));
        Assert.Equal(3, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Single(NationalHooks(alert));
    }

    [Fact]
    public async Task A_new_send_of_the_same_alert_is_delivered_again()
    {
        await fixture.RegisterTrustAsync("R1E", ["lead@r1e.test"], null, Ct);
        var raise = DispatchFixture.TrustAlarm("T05.1", "R1E", send: 1);
        var escalate = DispatchFixture.TrustAlarm("T05.1", "R1E", send: 2);

        await fixture.App.InvokeAsync(raise, Ct);
        var answer = await fixture.App.InvokeAsync(escalate, Ct);

        Assert.Equal(200, answer.StatusCode);
        var leadMail = (await fixture.EmailsForAsync(raise.AlertId, Ct)).Where(e => e.EnvelopeRecipients.Contains("lead@r1e.test")).ToList();
        Assert.Equal(2, leadMail.Count);
        Assert.Equal(["1", "2"], leadMail.Select(e => e.Header("x-safety-alert-send")!).Order(StringComparer.Ordinal));
        Assert.NotEqual(leadMail[0].MessageId, leadMail[1].MessageId);
        Assert.Contains(leadMail, e => e.Subject!.EndsWith("(escalated to alarm)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_webhook_does_not_stop_the_emails_and_the_redelivery_sends_only_the_webhook()
    {
        var hook = "trust-r1f";
        fixture.Webhooks.Script(hook, [500]);
        await fixture.RegisterTrustAsync("R1F", ["lead@r1f.test"], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T06.1", "R1F");

        var first = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(500, first.StatusCode);
        Assert.Equal(3, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(NationalHooks(alert));
        var failedTries = fixture.Webhooks.Received(hook);
        Assert.Equal(DispatchFixture.FastRetries.MaxAttempts, failedTries.Count);
        Assert.Single(failedTries.Select(t => t.Header("webhook-id")).Distinct());
        Assert.All(failedTries, AssertSignedNow);
        var failedRow = Assert.Single(await fixture.DeliveryStore.GetSendAsync(alert.AlertId, 1, Ct), r => r.Recipient == fixture.Webhooks.BaseAddress.GetLeftPart(UriPartial.Authority) && r.Outcome == DeliveryOutcome.Failed);
        Assert.Equal(DispatchFixture.FastRetries.MaxAttempts, failedRow.Attempts);
        Assert.StartsWith("HTTP 500", failedRow.Reason, StringComparison.Ordinal);

        fixture.Webhooks.Script(hook, [200]);
        var redelivery = await fixture.App.InvokeAsync(alert, Ct, dequeueCount: 2);

        Assert.Equal(200, redelivery.StatusCode);
        Assert.Equal(3, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(NationalHooks(alert));
        var tries = fixture.Webhooks.Received(hook);
        Assert.Equal(DispatchFixture.FastRetries.MaxAttempts + 1, tries.Count);
        Assert.Equal(200, tries[^1].AnsweredStatus);
        Assert.Equal(failedTries[0].Header("webhook-id"), tries[^1].Header("webhook-id"));
        var rows = await fixture.DeliveryStore.GetSendAsync(alert.AlertId, 1, Ct);
        Assert.All(rows, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Equal(DispatchFixture.FastRetries.MaxAttempts + 1, rows.Single(r => r.Channel == DeliveryChannel.Webhook && r.Attempts > 1).Attempts);
    }

    [Fact]
    public async Task A_client_error_from_a_webhook_is_not_retried()
    {
        var hook = "trust-r1g";
        fixture.Webhooks.Script(hook, [400]);
        await fixture.RegisterTrustAsync("R1G", [], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T07.1", "R1G");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(500, answer.StatusCode);
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Contains(answer.Logs, l => l.Contains("HTTP 400", StringComparison.Ordinal) && l.Contains("not retried", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_Retry_After_it_gives()
    {
        var hook = "trust-r1h";
        fixture.Webhooks.Script(hook, [429, 200], retryAfter: "0");
        await fixture.RegisterTrustAsync("R1H", [], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T08.1", "R1H");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal([429, 200], fixture.Webhooks.Received(hook).Select(r => r.AnsweredStatus));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_dispatch_waits_leaves_the_webhook_to_the_redelivery()
    {
        var hook = "trust-r1i";
        fixture.Webhooks.Script(hook, [503], retryAfter: "3600");
        await fixture.RegisterTrustAsync("R1I", [], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T09.1", "R1I");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(500, answer.StatusCode);
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Contains(answer.Logs, l => l.Contains("Retry-After 3600 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_national_alert_goes_to_the_national_reviewers_and_the_national_webhook_only()
    {
        await fixture.RegisterTrustAsync("R1J", ["lead@r1j.test"], fixture.Webhooks.UrlFor("trust-r1j"), Ct);
        var alert = DispatchFixture.NationalWarning("T10.1");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(DispatchFixture.NationalReviewers, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Select(e => Assert.Single(e.EnvelopeRecipients)).Order(StringComparer.Ordinal));
        var national = Assert.Single(NationalHooks(alert));
        Assert.Empty(fixture.Webhooks.Received("trust-r1j"));
        var body = JsonNode.Parse(national.Body)!;
        Assert.Equal("alert.raised", (string)body["type"]!);
        Assert.Equal("national", (string)body["data"]!["scope"]!);
        Assert.Equal("warning", (string)body["data"]!["severity"]!);
        Assert.Equal(12, (long)body["data"]!["evidence"]!["numerator"]!);
        Assert.Null(body["data"]!["trustOds"]);
    }

    [Fact]
    public async Task An_alert_for_an_unregistered_trust_still_reaches_the_national_recipients_and_says_so()
    {
        var alert = DispatchFixture.TrustAlarm("T11.1", "R9Z");

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(2, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(NationalHooks(alert));
        Assert.Contains(answer.Logs, l => l.Contains("R9Z is not registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_relay_fails_the_emails_but_not_the_webhooks_and_a_later_delivery_sends_only_the_emails()
    {
        var hook = "trust-r1k";
        await fixture.RegisterTrustAsync("R1K", ["lead@r1k.test"], fixture.Webhooks.UrlFor(hook), Ct);
        var alert = DispatchFixture.TrustAlarm("T12.1", "R1K");
        var closedPort = LocalServices.Processes.FreePort.Next(1)[0];
        var relayDown = fixture.CreateApp(new Dictionary<string, string> { ["Smtp:Port"] = closedPort.ToString(CultureInfo.InvariantCulture) });

        var first = await relayDown.InvokeAsync(alert, Ct);

        Assert.Equal(500, first.StatusCode);
        Assert.Empty(await fixture.EmailsForAsync(alert.AlertId, Ct));
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Single(NationalHooks(alert));
        var rows = await fixture.DeliveryStore.GetSendAsync(alert.AlertId, 1, Ct);
        Assert.Equal(3, rows.Count(r => r.Channel == DeliveryChannel.Email && r.Outcome == DeliveryOutcome.Failed));
        Assert.All(rows.Where(r => r.Channel == DeliveryChannel.Email), r => Assert.Contains("SMTP relay", r.Reason, StringComparison.Ordinal));

        var later = await fixture.App.InvokeAsync(alert, Ct, dequeueCount: 2);

        Assert.Equal(200, later.StatusCode);
        Assert.Equal(3, (await fixture.EmailsForAsync(alert.AlertId, Ct)).Count);
        Assert.Single(fixture.Webhooks.Received(hook));
        Assert.Single(NationalHooks(alert));
    }

    [Theory]
    [InlineData("this is not json", "not notification JSON")]
    [InlineData("{\"alertId\":\"X01.1|2026-03|death-sentinel|national\",\"send\":1}", "kind must be raise, escalate or reopen.")]
    [InlineData("null", "not notification JSON")]
    public async Task A_message_that_is_not_a_notification_fails_with_its_reason_and_sends_nothing(string text, string reason)
    {
        var before = (await fixture.Mail.ListEmailsAsync(Ct)).Count;

        var answer = await fixture.App.InvokeAsync(text, Ct);

        Assert.Equal(500, answer.StatusCode);
        var log = Assert.Single(answer.Logs);
        Assert.Contains(reason, log, StringComparison.Ordinal);
        Assert.Contains("governance-alerts-poison", log, StringComparison.Ordinal);
        Assert.Equal(before, (await fixture.Mail.ListEmailsAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_trust_scoped_message_without_its_trust_is_refused_rather_than_sent_to_the_national_list_only()
    {
        var alert = DispatchFixture.TrustAlarm("T13.1", "R1L") with { TrustOds = null };

        var answer = await fixture.App.InvokeAsync(alert, Ct);

        Assert.Equal(500, answer.StatusCode);
        Assert.Contains("trustOds", Assert.Single(answer.Logs), StringComparison.Ordinal);
        Assert.Empty(await fixture.EmailsForAsync(alert.AlertId, Ct));
    }

    private IReadOnlyList<ReceivedWebhook> NationalHooks(AlertNotification alert) =>
        fixture.Webhooks.Received("national").Where(r => (string?)JsonNode.Parse(r.Body)!["data"]!["alertId"] == alert.AlertId).ToList();

    /// <summary>Checks the Standard Webhooks signature with the test's own HMAC, not the app's signer.</summary>
    private static void AssertSignedNow(ReceivedWebhook webhook)
    {
        var id = webhook.Header("webhook-id");
        var timestamp = webhook.Header("webhook-timestamp");
        Assert.Matches("^msg_[0-9a-f]{32}$", id);
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture));
        Assert.InRange(sent, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(webhook.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(DispatchFixture.SigningKeyBytes, signed));
        Assert.Contains(expected, webhook.Header("webhook-signature").Split(' '));
        Assert.StartsWith("application/json", webhook.Header("content-type"), StringComparison.Ordinal);
    }
}
