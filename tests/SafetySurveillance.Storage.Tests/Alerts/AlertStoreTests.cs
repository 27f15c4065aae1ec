using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Alerts;

[Collection(AzuriteCollection.Name)]
public sealed class AlertStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AlertStore NewStore(out TableClient table)
    {
        table = azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Alerts"));
        return new AlertStore(table);
    }

    [Fact]
    public async Task An_alert_with_evidence_lifecycle_and_outbox_reads_back_exactly_as_written()
    {
        var store = NewStore(out _);
        AlertState raised = Alerts.Decide(Alerts.Funnel(SignalScope.Device("(01)0501/23"), Severity.Warning)).State!;
        AlertState acknowledged = AlertLifecycle.Acknowledge(raised, new AlertAction("reviewer-7", Alerts.Now.AddHours(1), "Looking into it")).State!;
        AlertState resolved = AlertLifecycle.Resolve(acknowledged, new AlertAction("reviewer-8", Alerts.Now.AddHours(2))).State!;
        var pending = new[] { AlertNotification.From(new AlertDecision(AlertDecisionKind.Raise, raised)) };

        await store.SaveAsync(resolved, pending, default, Ct);
        StoredAlert? read = await store.GetAsync(resolved.Id, Ct);

        Assert.NotNull(read);
        Assert.Equal(resolved, read.State);
        Assert.Equal(pending, read.PendingSends);
        Assert.NotEqual(default, read.ETag);
        Assert.Equal("Looking into it", read.State.Acknowledged!.Note);
        Assert.Equal("reviewer-8", read.State.Resolved!.By);
    }

    [Fact]
    public async Task Whole_number_doubles_in_the_evidence_survive_the_round_trip()
    {
        var store = NewStore(out _);
        AlertState state = Alerts.Decide(Alerts.Cusum()).State!;

        await store.SaveAsync(state, [], default, Ct);

        var read = await store.GetAsync(state.Id, Ct);
        Assert.Equal(3.0, read!.State.Evidence.CusumValue);
        Assert.Equal(2.0, read.State.Evidence.Threshold);
        Assert.Equal(state, read.State);
    }

    [Fact]
    public async Task The_row_is_keyed_by_the_procedure_partition_and_the_rest_of_the_id()
    {
        var store = NewStore(out var table);
        AlertState state = Alerts.Decide(Alerts.Death()).State!;

        await store.SaveAsync(state, [], default, Ct);

        var entity = await table.GetEntityAsync<TableEntity>("A48.4", "2026-03|death-sentinel|trust:RX1", cancellationToken: Ct);
        Assert.Equal("A48.4|2026-03|death-sentinel|trust:RX1", entity.Value.GetString("AlertId"));
        Assert.Equal(AlertId.PartitionFor("A48.4"), entity.Value.PartitionKey);
    }

    [Fact]
    public async Task Adding_an_alert_that_already_exists_is_refused()
    {
        var store = NewStore(out _);
        AlertState state = Alerts.Decide(Alerts.Death()).State!;
        await store.SaveAsync(state, [], default, Ct);

        await Assert.ThrowsAsync<AlertConflictException>(() => store.SaveAsync(state with { Summary = "second writer" }, [], default, Ct));

        Assert.Equal(state.Summary, (await store.GetAsync(state.Id, Ct))!.State.Summary);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_changes_nothing()
    {
        var store = NewStore(out _);
        AlertState state = Alerts.Decide(Alerts.Death()).State!;
        StoredAlert first = await store.SaveAsync(state, [], default, Ct);
        AlertState acknowledged = AlertLifecycle.Acknowledge(state, new AlertAction("lead-1", Alerts.Now.AddMinutes(5))).State!;
        StoredAlert second = await store.SaveAsync(acknowledged, [], first.ETag, Ct);

        // A writer still holding the first ETag (an evaluation that read before the acknowledgement).
        await Assert.ThrowsAsync<AlertConflictException>(() => store.SaveAsync(state with { Summary = "stale" }, [], first.ETag, Ct));

        StoredAlert read = (await store.GetAsync(state.Id, Ct))!;
        Assert.Equal(AlertStatus.Acknowledged, read.State.Status);
        Assert.Equal(second.ETag, read.ETag);
    }

    [Fact]
    public async Task Replacing_an_alert_that_was_never_stored_is_refused()
    {
        var store = NewStore(out _);
        await store.CreateTableIfNotExistsAsync(Ct);
        AlertState state = Alerts.Decide(Alerts.Death()).State!;

        await Assert.ThrowsAsync<AlertConflictException>(() => store.SaveAsync(state, [], new ETag("W/\"datetime'2026-01-01T00%3A00%3A00.0000000Z'\""), Ct));
        Assert.Null(await store.GetAsync(state.Id, Ct));
    }

    [Fact]
    public async Task Reading_from_a_table_that_does_not_exist_yet_finds_nothing()
    {
        var store = NewStore(out _);

        Assert.Null(await store.GetAsync(Alerts.Decide(Alerts.Death()).State!.Id, Ct));
        Assert.Empty(await store.QueryAsync(new AlertQuery(), Ct));
        Assert.Empty(await store.GetPeriodAsync("A48.4", SignalPeriod.Month(2026, 3), Ct));
    }

    [Fact]
    public async Task Queries_filter_by_status_procedure_and_trust_scope()
    {
        var store = NewStore(out _);
        var rx1 = Alerts.Decide(Alerts.Death("RX1")).State!;
        var ry2 = Alerts.Decide(Alerts.Death("RY2")).State!;
        var national = Alerts.Decide(Alerts.Funnel(SignalScope.National, Severity.Warning)).State!;
        var device = Alerts.Decide(Alerts.Funnel(SignalScope.Device("05012345678900"), Severity.Alarm)).State!;
        var otherProcedure = Alerts.Decide(Alerts.Death("RX1", procedure: "A48.5")).State!;
        var rx1Resolved = AlertLifecycle.Resolve(Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Alarm)).State!, new AlertAction("r", Alerts.Now)).State!;
        foreach (var state in new[] { rx1, ry2, national, device, otherProcedure, rx1Resolved })
        {
            await store.SaveAsync(state, [], default, Ct);
        }

        static string[] Ids(IReadOnlyList<StoredAlert> alerts) => [.. alerts.Select(a => a.Id.Value).Order(StringComparer.Ordinal)];
        static string[] Of(params AlertState[] states) => [.. states.Select(s => s.Id.Value).Order(StringComparer.Ordinal)];

        Assert.Equal(Of(rx1, ry2, national, device, otherProcedure, rx1Resolved), Ids(await store.QueryAsync(new AlertQuery(), Ct)));
        Assert.Equal(Of(rx1, ry2, national, device, rx1Resolved), Ids(await store.QueryAsync(new AlertQuery(Procedure: "A48.4"), Ct)));
        Assert.Equal(Of(rx1Resolved), Ids(await store.QueryAsync(new AlertQuery(Status: AlertStatus.Resolved), Ct)));
        Assert.Equal(Of(rx1, otherProcedure, rx1Resolved), Ids(await store.QueryAsync(new AlertQuery(TrustOds: "rx1"), Ct)));
        Assert.Equal(Of(rx1, national, otherProcedure, rx1Resolved), Ids(await store.QueryAsync(new AlertQuery(TrustOds: "RX1", AlsoNational: true), Ct)));
        Assert.Equal(Of(rx1), Ids(await store.QueryAsync(new AlertQuery("A48.4", AlertStatus.Open, "RX1"), Ct)));
    }

    [Fact]
    public async Task A_period_read_returns_exactly_that_periods_alerts_of_the_procedure()
    {
        var store = NewStore(out _);
        var march = Alerts.Decide(Alerts.Death("RX1", month: 3)).State!;
        var marchOther = Alerts.Decide(Alerts.Death("RY2", month: 3)).State!;
        var april = Alerts.Decide(Alerts.Death("RX1", month: 4)).State!;
        var allTime = Alerts.Decide(Alerts.Funnel(SignalScope.Trust("RX1"), Severity.Warning)).State!;
        var marchOtherProcedure = Alerts.Decide(Alerts.Death("RX1", procedure: "A48.5", month: 3)).State!;
        foreach (var state in new[] { march, marchOther, april, allTime, marchOtherProcedure })
        {
            await store.SaveAsync(state, [], default, Ct);
        }

        var read = await store.GetPeriodAsync("A48.4", SignalPeriod.Month(2026, 3), Ct);

        Assert.Equal([march.Id, marchOther.Id], read.Keys.OrderBy(k => k.Value, StringComparer.Ordinal));
        Assert.Equal(march, read[march.Id].State);
        Assert.Equal([allTime.Id], (await store.GetPeriodAsync("A48.4", SignalPeriod.AllTime, Ct)).Keys);
    }

    [Fact]
    public async Task Only_alerts_with_sends_waiting_in_their_outbox_are_listed_as_pending()
    {
        var store = NewStore(out _);
        var decision = Alerts.Decide(Alerts.Death("RX1"));
        await store.SaveAsync(decision.State!, [AlertNotification.From(decision)], default, Ct);
        await store.SaveAsync(Alerts.Decide(Alerts.Death("RY2")).State!, [], default, Ct);

        var pending = await store.GetWithPendingSendsAsync(Ct);

        Assert.Equal([decision.State!.Id], pending.Select(p => p.Id));
        Assert.Equal(1, pending[0].PendingSends[0].Send);
    }

    [Theory]
    [InlineData("A48.4|2026-03|death-sentinel|trust:RX1", true)]
    [InlineData("A48.4|all|serious-related-funnel|device:(01)0501%2F23", true)]
    [InlineData("A48.4|2026-Q1|serious-related-rate|national", true)]
    [InlineData("A48.4|2026-03|death-sentinel|trust:rx1", false)]
    [InlineData("A48.4|2026-13|death-sentinel|trust:RX1", false)]
    [InlineData("A48.4|2026-03|Death|trust:RX1", false)]
    [InlineData("A48.4|2026-03|death-sentinel", false)]
    [InlineData("A48.4|2026-03|death-sentinel|trust:RX1|x", false)]
    [InlineData("", false)]
    public void Only_canonical_alert_ids_parse(string text, bool parses)
    {
        Assert.Equal(parses, AlertKeys.TryParseId(text, out AlertId id));
        if (parses)
        {
            Assert.Equal(text, id.Value);
        }
    }
}
