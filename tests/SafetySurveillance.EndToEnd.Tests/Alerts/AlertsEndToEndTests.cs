using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SafetySurveillance.LocalServices.Maildev;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Registration;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Stack;
using Xunit;

namespace SafetySurveillance.EndToEnd.Tests.Alerts;

/// <summary>
/// Alerts on the real local stack: simulated trusts (registered with a governance address and a real loopback
/// webhook) send over AMQP; DevHost drives ingestion, EvaluateSignals (queue), EvaluateAllSignals (timer) and
/// DispatchGovernanceAlerts (queue) in the function app; e-mail goes to the maildev DevHost runs.
/// </summary>
public sealed class AlertsEndToEndTests
{
    private const string Hub = "safety-events";
    private const string FunnelRule = "serious-related-funnel";
    private const string NationalReviewer = "national.reviewer@localhost.test";
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SampleSettings => Path.Combine(RepositoryPaths.Root, "local.settings.sample.json");

    /// <summary>The sample settings with the timer every 10 s, so "after a restart nothing is sent twice" is seen within the test.</summary>
    private static async Task<string> SettingsWithFastTimerAsync(string folder)
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(SampleSettings, Ct))!;
        settings["Values"]!["EvaluateAllSignalsSchedule"] = "*/10 * * * * *";
        var path = Path.Combine(folder, "alerts-e2e.settings.json");
        await File.WriteAllTextAsync(path, settings.ToJsonString(), Ct);
        return path;
    }

    private static byte[] SigningKey()
    {
        var value = (string)JsonNode.Parse(File.ReadAllText(SampleSettings))!["Values"]!["Webhooks__SigningKey"]!;
        // docs/alert-delivery.md: whsec_ + base64 per Standard Webhooks, otherwise the UTF-8 bytes of the setting.
        return value.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(value["whsec_".Length..]) : Encoding.UTF8.GetBytes(value);
    }

    private static async Task SendAsync(string connection, IEnumerable<SimulatedEvent> events)
    {
        await using var transport = EventHubsTransport.Create(connection, Hub, maxEventsPerBatch: 200);
        foreach (var trust in events.GroupBy(e => e.TrustOds))
        {
            await transport.SendAsync(trust.Key, [.. trust], Ct);
        }
    }

    private static SimulatedEvent Event(string trust, int sequence, byte[] body) =>
        new(sequence, trust, null, "", SimulatedEventKind.Valid, body, DateTimeOffset.UtcNow);

    private static async Task<List<TableEntity>> AlertsAsync(LocalStack stack)
    {
        try
        {
            return await stack.Table("Alerts").QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, explain());
            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        }
    }

    private static IEnumerable<MaildevEmail> MailFor(IEnumerable<MaildevEmail> mail, string alertId) =>
        mail.Where(m => m.Header("x-safety-alert-id") == alertId);

    private static IEnumerable<ReceivedWebhook> HooksFor(IEnumerable<ReceivedWebhook> hooks, string alertId) =>
        hooks.Where(h => (string?)JsonNode.Parse(h.Body)?["data"]?["alertId"] == alertId);

    [Fact]
    public async Task The_injected_trust_raises_one_funnel_alarm_delivered_once_by_mail_and_signed_webhook_a_sentinel_follows_within_seconds_and_a_restart_sends_nothing_twice()
    {
        using var webhook = new WebhookReceiver();
        var folder = Directory.CreateTempSubdirectory("alerts-e2e-").FullName;
        await using var stack = await LocalStack.StartAsync(Ct, "--DevHost:SettingsFile", await SettingsWithFastTimerAsync(folder));
        Assert.False(string.IsNullOrEmpty(stack.Endpoints.Maildev), "DevHost did not report maildev in devhost.json");
        using var maildev = new MaildevClient(new Uri(stack.Endpoints.Maildev!));
        var run = new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions
        {
            Seed = 42,
            TrustCount = 20,
            EventCount = 10_000,
            MalformedFraction = 0.01,
            InjectedOddsRatio = 8,
        });
        var injected = run.Trusts.Single(t => t.HasInjectedExcess).OdsCode;
        await TrustRegistrar.RegisterAsync(run.Trusts, stack.Endpoints.Storage, TrustRegistrar.HasherFromSettings(SampleSettings), webhook.Url, Ct);

        // 1. The injected excess: exactly one funnel alarm, for the injected trust, delivered once per recipient and once by webhook.
        await SendAsync(stack.Endpoints.EventHubs, run.Events);
        var funnelAlarms = await WaitForAsync(
            async () => (await AlertsAsync(stack)).Where(a => a.GetString("RuleId") == FunnelRule && a.GetString("Severity") == "Alarm").ToList(),
            alarms => alarms.Count > 0,
            Settle,
            () => "no funnel alarm was raised\n" + stack.RecentOutput);
        var alarm = Assert.Single(funnelAlarms);
        Assert.Equal("trust:" + injected, alarm.GetString("Scope"));
        var alarmId = alarm.GetString("AlertId");
        var recipients = new[] { TrustRegistrar.GovernanceAddress(injected), NationalReviewer };
        await WaitForAsync(
            async () => (MailFor(await maildev.ListEmailsAsync(Ct), alarmId).Count(), HooksFor(webhook.Received, alarmId).Count()),
            counts => counts.Item1 >= recipients.Length && counts.Item2 >= 1,
            TimeSpan.FromMinutes(2),
            () => $"the alarm {alarmId} was not delivered by mail and webhook\n" + stack.RecentOutput);

        // 2. A sentinel: a death after a procedure today, at a trust with no death-sentinel alert this month yet; the
        //    alert's e-mail follows within seconds.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var month = today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        bool IsTodaysSentinel(TableEntity a, string trust) =>
            a.GetString("RuleId") == "death-sentinel" && a.GetString("Period") == month && a.GetString("Scope") == "trust:" + trust;
        var existing = await AlertsAsync(stack);
        var sentinelTrust = run.Trusts.Select(t => t.OdsCode).First(t => t != injected && !existing.Any(a => IsTodaysSentinel(a, t)));
        var (procedure, death) = SentinelEvents.For(sentinelTrust, 4242, today, DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();
        await SendAsync(stack.Endpoints.EventHubs, [Event(sentinelTrust, 0, procedure), Event(sentinelTrust, 1, death)]);
        var sentinel = await WaitForAsync(
            async () => (await AlertsAsync(stack)).FirstOrDefault(a => IsTodaysSentinel(a, sentinelTrust)),
            a => a is not null,
            TimeSpan.FromMinutes(1),
            () => "the death sentinel raised no alert within a minute\n" + stack.RecentOutput);
        var sentinelId = sentinel!.GetString("AlertId");
        await WaitForAsync(
            async () => MailFor(await maildev.ListEmailsAsync(Ct), sentinelId).Count(),
            count => count >= 2,
            TimeSpan.FromMinutes(1),
            () => "the death sentinel was not e-mailed to the trust and the national reviewers within a minute\n" + stack.RecentOutput);
        clock.Stop();
        TestContext.Current.SendDiagnosticMessage($"sentinel sent -> e-mail received: {clock.Elapsed.TotalSeconds:N1} s");

        // 3. Let the pipeline go quiet first: the 10-second timer also raises alerts the queue path does not (CUSUM
        //    months that mature, follow-up due dates), so wait until nothing new has arrived for three timer periods.
        var (mailBefore, hooksBefore) = (-1, -1);
        var quietSince = DateTime.UtcNow;
        var quietDeadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(30))
        {
            Assert.True(DateTime.UtcNow < quietDeadline, "alerts kept arriving for 3 minutes\n" + stack.RecentOutput);
            var now = ((await maildev.ListEmailsAsync(Ct)).Count, webhook.Received.Count);
            if (now != (mailBefore, hooksBefore))
            {
                (mailBefore, hooksBefore) = now;
                quietSince = DateTime.UtcNow;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }

        // Then restart (kill -9, start again on the same data) and let the timer re-evaluate everything: nothing is sent again.
        await stack.KillDevHostAsync();
        await stack.StartDevHostAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(25), Ct); // two runs of the 10-second timer
        using var maildevAfter = new MaildevClient(new Uri(stack.Endpoints.Maildev!));
        var mail = await maildevAfter.ListEmailsAsync(Ct);
        var hooks = webhook.Received;

        // Every e-mail or webhook is about one alert send; no (alert, send, recipient) twice.
        Assert.Equal(mail.Count, mail.Select(m => (m.Header("x-safety-alert-id"), m.Header("x-safety-alert-send"), string.Join(",", m.EnvelopeRecipients))).Distinct().Count());
        Assert.Equal(hooks.Count, hooks.Select(h => h.Id).Distinct().Count());
        Assert.Equal(mailBefore, mail.Count);
        Assert.Equal(hooksBefore, hooks.Count);
        foreach (var recipient in recipients)
        {
            Assert.Single(MailFor(mail, alarmId), m => m.EnvelopeRecipients.Contains(recipient, StringComparer.OrdinalIgnoreCase));
        }

        Assert.Equal(recipients.Length, MailFor(mail, alarmId).Count());
        var hook = Assert.Single(HooksFor(hooks, alarmId));
        Assert.True(hook.HasValidSignature(SigningKey()), "the webhook's signature does not verify with the signing key");
        Assert.All(hooks, h => Assert.True(h.HasValidSignature(SigningKey())));
        Assert.DoesNotMatch(@"\b\d{10}\b", string.Join("\n", mail.Select(m => m.Text)) + string.Join("\n", hooks.Select(h => h.Body)));
    }
}
