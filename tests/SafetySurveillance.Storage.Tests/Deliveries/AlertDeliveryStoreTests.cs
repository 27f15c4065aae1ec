using Azure.Data.Tables;
using SafetySurveillance.Storage.Deliveries;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Deliveries;

[Collection(AzuriteCollection.Name)]
public sealed class AlertDeliveryStoreTests(AzuriteFixture azurite)
{
    private const string AlertId = "A48.4|2026-03|death-sentinel|trust%3ARX1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (AlertDeliveryStore Store, TableClient Table) NewStore()
    {
        var table = azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Deliveries"));
        return (new AlertDeliveryStore(table), table);
    }

    private static DeliveryAttempt Delivered(int attempts = 1, int minutes = 0) =>
        new(DeliveryOutcome.Delivered, attempts, null, "<id@safety.test>", T0.AddMinutes(minutes));

    private static DeliveryAttempt Failed(string reason, int attempts = 1, int minutes = 0) =>
        new(DeliveryOutcome.Failed, attempts, reason, "<id@safety.test>", T0.AddMinutes(minutes));

    [Fact]
    public async Task A_send_with_no_attempt_yet_reads_as_empty_even_before_the_table_exists()
    {
        var (store, _) = NewStore();

        Assert.Empty(await store.GetSendAsync(AlertId, 1, Ct));
        Assert.Empty(await store.ListForAlertAsync(AlertId, Ct));
    }

    [Fact]
    public async Task Recording_creates_the_table_and_one_row_per_channel_and_recipient()
    {
        var (store, _) = NewStore();
        var lead = DeliveryTarget.Email("Lead@Trust.test");
        var hook = DeliveryTarget.Webhook(new Uri("https://hooks.trust.test/alerts?token=secret"));

        await store.RecordAsync(AlertId, 1, lead, Delivered(), Ct);
        await store.RecordAsync(AlertId, 1, hook, Failed("HTTP 500 Internal Server Error", attempts: 4), Ct);

        var rows = await store.GetSendAsync(AlertId, 1, Ct);
        Assert.Equal(2, rows.Count);
        var mail = Assert.Single(rows, r => r.IsFor(lead));
        Assert.Equal(DeliveryOutcome.Delivered, mail.Outcome);
        Assert.Equal("Lead@Trust.test", mail.Recipient);
        Assert.Equal(T0, mail.DeliveredAt);
        Assert.Equal("A48.4|2026-03|death-sentinel|trust%3ARX1#1", mail.DeliveryKey);
        var webhook = Assert.Single(rows, r => r.IsFor(hook));
        Assert.Equal(DeliveryOutcome.Failed, webhook.Outcome);
        Assert.Equal(4, webhook.Attempts);
        Assert.Equal("HTTP 500 Internal Server Error", webhook.Reason);
        Assert.Null(webhook.DeliveredAt);
    }

    [Fact]
    public async Task A_webhook_row_shows_only_scheme_host_and_port_so_a_token_in_the_url_is_not_copied()
    {
        var (store, table) = NewStore();
        var hook = DeliveryTarget.Webhook(new Uri("https://hooks.trust.test:8443/T000/B000/XXXXSECRET?sig=abc"));

        await store.RecordAsync(AlertId, 1, hook, Delivered(), Ct);

        var entity = Assert.Single(table.Query<TableEntity>(cancellationToken: Ct));
        Assert.Equal("https://hooks.trust.test:8443", entity.GetString("Recipient"));
        Assert.DoesNotContain(entity.Keys, k => entity[k] is string s && (s.Contains("SECRET", StringComparison.Ordinal) || s.Contains("sig=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failure_then_a_delivery_adds_up_attempts_and_ends_delivered_without_a_reason()
    {
        var (store, _) = NewStore();
        var hook = DeliveryTarget.Webhook(new Uri("https://hooks.trust.test/alerts"));

        await store.RecordAsync(AlertId, 2, hook, Failed("timeout", attempts: 3, minutes: 0), Ct);
        var stored = await store.RecordAsync(AlertId, 2, hook, Delivered(attempts: 1, minutes: 5), Ct);

        Assert.Equal(DeliveryOutcome.Delivered, stored.Outcome);
        Assert.Null(stored.Reason);
        Assert.Equal(4, stored.Attempts);
        Assert.Equal(T0, stored.FirstAttemptAt);
        Assert.Equal(T0.AddMinutes(5), stored.LastAttemptAt);
        Assert.Equal(T0.AddMinutes(5), stored.DeliveredAt);
        Assert.Equal(stored, Assert.Single(await store.GetSendAsync(AlertId, 2, Ct)));
    }

    [Fact]
    public async Task A_delivered_row_never_goes_back_to_failed()
    {
        var (store, _) = NewStore();
        var lead = DeliveryTarget.Email("lead@trust.test");

        await store.RecordAsync(AlertId, 1, lead, Delivered(), Ct);
        var stored = await store.RecordAsync(AlertId, 1, lead, Failed("550 mailbox unavailable", minutes: 1), Ct);

        Assert.Equal(DeliveryOutcome.Delivered, stored.Outcome);
        Assert.Equal(T0, stored.DeliveredAt);
        Assert.Null(stored.Reason);
        Assert.Equal(2, stored.Attempts);
    }

    [Fact]
    public async Task Sends_of_one_alert_are_kept_apart_and_listed_together()
    {
        var (store, _) = NewStore();
        var lead = DeliveryTarget.Email("lead@trust.test");

        await store.RecordAsync(AlertId, 1, lead, Delivered(), Ct);
        await store.RecordAsync(AlertId, 2, lead, Failed("421 try later"), Ct);
        await store.RecordAsync(AlertId, 10, lead, Delivered(), Ct);
        await store.RecordAsync("A48.4|2026-03|death-sentinel|national", 1, lead, Delivered(), Ct);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await store.GetSendAsync(AlertId, 1, Ct)).Outcome);
        Assert.Equal(DeliveryOutcome.Failed, Assert.Single(await store.GetSendAsync(AlertId, 2, Ct)).Outcome);
        Assert.Equal([1, 2, 10], (await store.ListForAlertAsync(AlertId, Ct)).Select(r => r.Send));
    }

    [Fact]
    public async Task Concurrent_records_of_one_recipient_lose_no_attempt()
    {
        var (store, _) = NewStore();
        var hook = DeliveryTarget.Webhook(new Uri("https://hooks.trust.test/alerts"));
        await store.CreateIfNotExistsAsync(Ct);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.RecordAsync(AlertId, 1, hook, Failed("HTTP 503", attempts: 1, minutes: i), Ct)));

        Assert.Equal(4, Assert.Single(await store.GetSendAsync(AlertId, 1, Ct)).Attempts);
    }

    [Fact]
    public async Task A_long_reason_is_cut_to_the_limit()
    {
        var (store, _) = NewStore();

        var stored = await store.RecordAsync(AlertId, 1, DeliveryTarget.Email("lead@trust.test"), Failed(new string('x', 5000)), Ct);

        Assert.Equal(AlertDeliveryStore.MaxReasonLength, stored.Reason!.Length);
    }

    [Fact]
    public void E_mail_targets_compare_without_case_and_webhook_targets_by_exact_url()
    {
        Assert.Equal(DeliveryTarget.Email("Lead@Trust.test"), DeliveryTarget.Email(" lead@trust.test "));
        Assert.NotEqual(DeliveryTarget.Webhook(new Uri("https://h.test/a")), DeliveryTarget.Webhook(new Uri("https://h.test/b")));
        Assert.NotEqual(DeliveryTarget.Email("a@h.test").Key, DeliveryTarget.Webhook(new Uri("https://h.test/")).Key + "x");
        Assert.True(Domain.Signals.TableKeyEncoding.IsValidTableKey(AlertDeliveryStore.RowKeyOf(1, DeliveryTarget.Email("odd/#?name@trust.test"))));
    }

    [Fact]
    public async Task An_alert_id_that_is_not_a_table_key_is_refused()
    {
        var (store, _) = NewStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetSendAsync("bad/id#1", 1, Ct));
    }
}
