using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.EvaluateSignals;
using SafetySurveillance.Functions.IngestSafetyEvents;
using SafetySurveillance.Storage.Alerts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.EvaluateSignals;

public sealed class EvaluateSignalsTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly March = new(2026, 3, 10);

    private static string Touched(string procedure, params string[] periods) =>
        new SignalsTouchedMessage([.. periods.Select(p => new TouchedPartition(procedure, p))]).ToJson();

    /// <summary>5 procedures at RX1 in March 2026, one of them followed by a death that is not device-related.</summary>
    private async Task<SignalRows> WriteDeathAsync(string procedure)
    {
        var rows = new SignalRows(app.Signals, procedure)
            .Procedures("RX1", March, 5)
            .Procedures("RY2", March, 3)
            .AdverseEvent("RX1", March, AdverseEventFacts.Serious | AdverseEventFacts.Death);
        await rows.WriteAsync(Ct);
        return rows;
    }

    [Fact]
    public async Task A_death_in_the_touched_partitions_raises_one_alarm_and_puts_one_notification_on_the_queue()
    {
        await app.ClearQueuesAsync(Ct);
        await WriteDeathAsync("Z94.1");

        var (status, envelope) = await app.InvokeQueueAsync("EvaluateSignals", Touched("Z94.1", "2026-03", "2026-Q1", "all"), Ct);

        Assert.Equal(200, status);
        var alerts = await app.Alerts.QueryAsync(new AlertQuery("Z94.1"), Ct);
        StoredAlert alert = Assert.Single(alerts);
        Assert.Equal("Z94.1|2026-03|death-sentinel|trust:RX1", alert.Id.Value);
        Assert.Equal(Severity.Alarm, alert.State.Severity);
        Assert.Equal(AlertStatus.Open, alert.State.Status);
        Assert.Equal(new Evidence(1, 5), alert.State.Evidence);
        Assert.Equal(AlertsAppFixture.Now, alert.State.RaisedAt);
        Assert.Empty(alert.PendingSends);

        AlertNotification notification = Assert.Single(await app.NotificationsAsync(Ct));
        Assert.Equal("Z94.1|2026-03|death-sentinel|trust:RX1#1", notification.DeliveryKey);
        Assert.Equal(AlertDecisionKind.Raise, notification.Kind);
        Assert.Equal("RX1", notification.TrustOds);
        Assert.Equal(alert.State.Evidence, notification.Evidence);
        Assert.Equal(1, (int)envelope!["ReturnValue"]!["Raised"]!);
        Assert.Equal(3, (int)envelope["ReturnValue"]!["Partitions"]!);
    }

    [Fact]
    public async Task Evaluating_the_same_partitions_again_sends_nothing_more()
    {
        await app.ClearQueuesAsync(Ct);
        await WriteDeathAsync("Z94.2");
        string message = Touched("Z94.2", "2026-03", "2026-Q1", "all");
        await app.InvokeQueueAsync("EvaluateSignals", message, Ct);

        var (status, envelope) = await app.InvokeQueueAsync("EvaluateSignals", message, Ct, dequeueCount: 2);
        var (timerStatus, _) = await app.InvokeTimerAsync(Ct);

        Assert.Equal(200, status);
        Assert.Equal(200, timerStatus);
        Assert.Equal(0, (int)envelope!["ReturnValue"]!["Raised"]!);
        Assert.Equal(0, (int)envelope["ReturnValue"]!["Enqueued"]!);
        Assert.Single(await app.NotificationsAsync(Ct));
        Assert.Single(await app.Alerts.QueryAsync(new AlertQuery("Z94.2"), Ct));
    }

    [Fact]
    public async Task A_second_death_after_resolution_re_opens_the_alert_and_sends_it_again()
    {
        await app.ClearQueuesAsync(Ct);
        await WriteDeathAsync("Z94.3");
        string message = Touched("Z94.3", "2026-03");
        await app.InvokeQueueAsync("EvaluateSignals", message, Ct);
        StoredAlert raised = Assert.Single(await app.Alerts.QueryAsync(new AlertQuery("Z94.3"), Ct));
        var resolved = AlertLifecycle.Resolve(raised.State, new AlertAction("reviewer-1", AlertsAppFixture.Now)).State!;
        await app.Alerts.SaveAsync(resolved, [], raised.ETag, Ct);

        await new SignalRows(app.Signals, "Z94.3").AdverseEvent("RX1", March, AdverseEventFacts.Serious | AdverseEventFacts.Death).WriteAsync(Ct, partition: "1");
        await app.InvokeQueueAsync("EvaluateSignals", message, Ct);

        var notifications = await app.NotificationsAsync(Ct);
        Assert.Equal(["Z94.3|2026-03|death-sentinel|trust:RX1#1", "Z94.3|2026-03|death-sentinel|trust:RX1#2"], notifications.Select(n => n.DeliveryKey));
        Assert.Equal(AlertDecisionKind.Reopen, notifications[1].Kind);
        Assert.Equal(2, notifications[1].Evidence.Numerator);
        var reopened = (await app.Alerts.GetAsync(raised.Id, Ct))!.State;
        Assert.Equal(AlertStatus.Open, reopened.Status);
        Assert.Null(reopened.Resolved);
    }

    [Fact]
    public async Task A_send_left_in_an_outbox_by_a_crash_is_enqueued_by_the_timer_once()
    {
        await app.ClearQueuesAsync(Ct);
        var decision = AlertDecider.Decide(null, new Finding(
            "death-sentinel", "sentinel", "Z94.4", SignalScope.Trust("RZ9"), SignalPeriod.Month(2026, 2), Severity.Alarm, new Evidence(1, 4), "1 Deaths."), AlertsAppFixture.Now);
        await app.Alerts.SaveAsync(decision.State!, [AlertNotification.From(decision)], default, Ct); // the evaluation died here

        await app.InvokeTimerAsync(Ct);
        await app.InvokeTimerAsync(Ct);

        var notifications = (await app.NotificationsAsync(Ct)).Where(n => n.Procedure == "Z94.4").ToList();
        Assert.Equal(["Z94.4|2026-02|death-sentinel|trust:RZ9#1"], notifications.Select(n => n.DeliveryKey));
        Assert.Empty((await app.Alerts.GetAsync(decision.State!.Id, Ct))!.PendingSends);
    }

    [Fact]
    public async Task A_cusum_signal_raises_once_and_the_reset_chart_is_kept_between_evaluations()
    {
        await app.ClearQueuesAsync(Ct);
        var january = new DateOnly(2026, 1, 15);
        var related = AdverseEventFacts.Serious | AdverseEventFacts.ProcedureRelated | AdverseEventFacts.FirstSeriousRelatedForPatient;
        var rows = new SignalRows(app.Signals, "Z94.5").Procedures("RX1", january, 6);
        for (int i = 0; i < 5; i++)
        {
            rows.AdverseEvent("RX1", january, related);
        }

        await rows.WriteAsync(Ct);

        await app.InvokeQueueAsync("EvaluateSignals", Touched("Z94.5", "2026-01"), Ct);
        await app.InvokeQueueAsync("EvaluateSignals", Touched("Z94.5", "2026-01"), Ct);

        StoredAlert alert = Assert.Single(await app.Alerts.QueryAsync(new AlertQuery("Z94.5"), Ct));
        Assert.Equal("Z94.5|2026-01|serious-related-cusum|trust:RX1", alert.Id.Value);
        Assert.True(alert.State.Evidence.CusumValue >= alert.State.Evidence.Threshold);
        Assert.Single(await app.NotificationsAsync(Ct));
        var charts = new CusumChartStore(app.Azurite.CreateTableServiceClient().GetTableClient(CusumChartStore.TableName));
        var chart = await charts.GetAsync("Z94.5", "serious-related-cusum", SignalScope.Trust("RX1"), Ct);
        Assert.Equal(SignalPeriod.Month(2026, 1), chart.State.LastMonth);
        Assert.Equal(1, chart.State.Chart.Signals);
        Assert.Equal(6, chart.State.Chart.Observations);
        Assert.True(chart.State.Chart.Statistic < alert.State.Evidence.Threshold, "The chart restarts from 0 after its signal.");
    }

    [Fact]
    public async Task A_message_that_is_not_a_signals_touched_message_fails_the_invocation_so_the_host_retries_then_poisons_it()
    {
        var (status, envelope) = await app.InvokeQueueAsync("EvaluateSignals", "{\"hello\":1}", Ct, dequeueCount: 5);

        Assert.Equal(500, status);
        Assert.Contains("not a signals-touched message", (string)envelope!["Logs"]!.AsArray()[0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ingestion_hook_message_drives_the_evaluation_of_what_the_batch_touched()
    {
        await app.ClearQueuesAsync(Ct);
        SignalRows rows = await WriteDeathAsync("Z94.6");
        var notifier = new SignalsTouchedNotifier(new StorageQueues(Microsoft.Extensions.Options.Options.Create(new Configuration.StorageOptions { ConnectionString = app.Azurite.ConnectionString })));

        await notifier.NotifyAsync(rows.Keys, Ct);

        var received = (await app.SignalsTouched.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value;
        var message = Assert.Single(received);
        var parsed = SignalsTouchedMessage.TryParse(message.Body.ToString())!;
        Assert.Equal(
            [new TouchedPartition("Z94.6", "2026-03"), new TouchedPartition("Z94.6", "2026-Q1"), new TouchedPartition("Z94.6", "all")],
            parsed.Partitions);

        var (status, _) = await app.InvokeQueueAsync("EvaluateSignals", message.Body.ToString(), Ct);
        Assert.Equal(200, status);
        Assert.Equal(["Z94.6|2026-03|death-sentinel|trust:RX1#1"], (await app.NotificationsAsync(Ct)).Select(n => n.DeliveryKey));
    }

    [Fact]
    public async Task The_timer_evaluates_every_partition_including_ones_no_message_announced()
    {
        await app.ClearQueuesAsync(Ct);
        await WriteDeathAsync("Z94.7"); // the ingestion died before its signals-touched message

        var (status, envelope) = await app.InvokeTimerAsync(Ct);

        Assert.Equal(200, status);
        Assert.Contains("Z94.7|2026-03|death-sentinel|trust:RX1#1", (await app.NotificationsAsync(Ct)).Select(n => n.DeliveryKey));
        Assert.True((int)envelope!["ReturnValue"]!["Partitions"]! >= 3);
    }
}
