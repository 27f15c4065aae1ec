using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Alerts;

[Collection(AzuriteCollection.Name)]
public sealed class AlertOutboxTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (AlertStore Store, AlertOutbox Outbox, QueueClient Queue) Create()
    {
        var store = new AlertStore(azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Alerts")));
        var queue = new QueueClient(azurite.ConnectionString, UniqueName.Container("alerts"), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        return (store, new AlertOutbox(store, queue), queue);
    }

    /// <summary>Every message on the queue, decoded from base64 by the client, left on the queue.</summary>
    private static async Task<List<AlertNotification>> PeekAllAsync(QueueClient queue)
    {
        if (!await queue.ExistsAsync(Ct))
        {
            return [];
        }

        PeekedMessage[] messages = (await queue.PeekMessagesAsync(32, Ct)).Value;
        return [.. messages.Select(m => AlertNotification.FromJson(m.Body.ToString()))];
    }

    [Fact]
    public async Task A_raise_is_stored_with_its_send_pending_and_a_flush_enqueues_it_once_and_clears_the_outbox()
    {
        var (store, outbox, queue) = Create();
        var decision = Alerts.Decide(Alerts.Death());

        StoredAlert recorded = await outbox.RecordAsync(null, decision, Ct);

        Assert.Single(recorded.PendingSends);
        Assert.Empty(await PeekAllAsync(queue));
        Assert.Equal(1, await outbox.FlushAsync(recorded, Ct));
        var messages = await PeekAllAsync(queue);
        Assert.Equal([AlertNotification.From(decision)], messages);
        Assert.Empty((await store.GetAsync(decision.State!.Id, Ct))!.PendingSends);
        Assert.Empty(await store.GetWithPendingSendsAsync(Ct));
    }

    [Fact]
    public async Task Messages_are_base64_on_the_wire_as_the_functions_host_expects()
    {
        var (_, outbox, queue) = Create();
        var decision = Alerts.Decide(Alerts.Death());
        await outbox.FlushAsync(await outbox.RecordAsync(null, decision, Ct), Ct);

        var raw = new QueueClient(azurite.ConnectionString, queue.Name); // no decoding
        PeekedMessage message = (await raw.PeekMessagesAsync(1, Ct)).Value.Single();

        string text = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        Assert.Equal(AlertNotification.From(decision).ToJson(), text);
    }

    [Fact]
    public async Task A_send_left_pending_by_a_crash_before_the_enqueue_is_enqueued_exactly_once_by_later_flushes()
    {
        var (store, outbox, queue) = Create();
        var decision = Alerts.Decide(Alerts.Death());
        await outbox.RecordAsync(null, decision, Ct); // the process dies here: row written, nothing enqueued

        Assert.Equal(1, await outbox.FlushAllAsync(Ct));
        Assert.Equal(0, await outbox.FlushAllAsync(Ct));
        Assert.Equal(0, await outbox.FlushAllAsync(Ct));

        var messages = await PeekAllAsync(queue);
        Assert.Equal([decision.State!.Id.Value + "#1"], messages.Select(m => m.DeliveryKey));
        Assert.Empty(await store.GetWithPendingSendsAsync(Ct));
    }

    [Fact]
    public async Task A_crash_after_the_enqueue_but_before_the_outbox_is_cleared_re_enqueues_the_same_delivery_key()
    {
        var (_, outbox, queue) = Create();
        var decision = Alerts.Decide(Alerts.Death());
        StoredAlert recorded = await outbox.RecordAsync(null, decision, Ct);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.SendMessageAsync(recorded.PendingSends[0].ToJson(), Ct); // enqueued, then the process dies

        Assert.Equal(1, await outbox.FlushAllAsync(Ct));
        Assert.Equal(0, await outbox.FlushAllAsync(Ct));

        var keys = (await PeekAllAsync(queue)).Select(m => m.DeliveryKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task An_escalation_recorded_while_the_raise_is_still_pending_keeps_both_sends_in_order()
    {
        var (_, outbox, queue) = Create();
        var raise = Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Warning));
        StoredAlert afterRaise = await outbox.RecordAsync(null, raise, Ct); // crash: raise not enqueued
        var escalate = Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Alarm, numerator: 7), afterRaise.State, Alerts.Now.AddHours(1));
        Assert.Equal(AlertDecisionKind.Escalate, escalate.Kind);

        StoredAlert afterEscalate = await outbox.RecordAsync(afterRaise, escalate, Ct);
        await outbox.FlushAsync(afterEscalate, Ct);

        var messages = await PeekAllAsync(queue);
        Assert.Equal([1, 2], messages.Select(m => m.Send));
        Assert.Equal([AlertDecisionKind.Raise, AlertDecisionKind.Escalate], messages.Select(m => m.Kind));
        Assert.Equal([Severity.Warning, Severity.Alarm], messages.Select(m => m.Severity));
    }

    [Fact]
    public async Task A_decision_that_does_not_send_adds_nothing_to_the_outbox()
    {
        var (store, outbox, queue) = Create();
        var raise = Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Warning));
        await outbox.FlushAsync(await outbox.RecordAsync(null, raise, Ct), Ct);
        StoredAlert stored = (await store.GetAsync(raise.State!.Id, Ct))!;
        var update = Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Warning, numerator: 5), stored.State, Alerts.Now.AddHours(1));
        Assert.Equal(AlertDecisionKind.UpdateEvidence, update.Kind);

        StoredAlert updated = await outbox.RecordAsync(stored, update, Ct);

        Assert.Empty(updated.PendingSends);
        Assert.Equal(0, await outbox.FlushAsync(updated, Ct));
        Assert.Single(await PeekAllAsync(queue));
    }

    [Fact]
    public async Task Clearing_the_outbox_keeps_an_acknowledgement_written_between_the_enqueue_and_the_clear()
    {
        var (store, outbox, queue) = Create();
        var decision = Alerts.Decide(Alerts.Death());
        StoredAlert recorded = await outbox.RecordAsync(null, decision, Ct);
        // A governance lead acknowledges before the outbox is flushed (the row's ETag changes).
        AlertState acknowledged = AlertLifecycle.Acknowledge(recorded.State, new AlertAction("lead-1", Alerts.Now.AddMinutes(1))).State!;
        await store.SaveAsync(acknowledged, recorded.PendingSends, recorded.ETag, Ct);

        Assert.Equal(1, await outbox.FlushAsync(recorded, Ct)); // holds the old ETag

        StoredAlert read = (await store.GetAsync(decision.State!.Id, Ct))!;
        Assert.Empty(read.PendingSends);
        Assert.Equal(AlertStatus.Acknowledged, read.State.Status);
        Assert.Single(await PeekAllAsync(queue));
    }
}
