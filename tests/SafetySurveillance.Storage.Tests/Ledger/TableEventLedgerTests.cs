using Azure.Data.Tables;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Storage.Ledger;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Ledger;

[Collection(AzuriteCollection.Name)]
public sealed class TableEventLedgerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TableClient> NewTableAsync()
    {
        var table = azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Ledger"));
        await table.CreateAsync(Ct);
        return table;
    }

    private static LedgerEntry Entry(string id, int partition, long sequence) => new(EventFingerprint.Of(id), partition, sequence);

    [Fact]
    public async Task Appended_entries_are_seen_by_a_fresh_process()
    {
        var table = await NewTableAsync();
        var writer = new TableEventLedger(table);
        var ledger = await writer.OpenAsync("RX1", Ct);
        await writer.AppendAsync(ledger, [Entry("a", 0, 1), Entry("b", 0, 2)], [], Ct);
        await writer.AppendAsync(ledger, [Entry("c", 0, 3)], [], Ct);

        var reader = await new TableEventLedger(table).OpenAsync("RX1", Ct);

        Assert.Equal(3, reader.State.Events.Count);
        Assert.Equal(2, reader.Chunks);
        Assert.Equal(LedgerVerdict.Duplicate, reader.State.Events.Classify(EventFingerprint.Of("b"), 1, 50));
        Assert.Equal(LedgerVerdict.Redelivery, reader.State.Events.Classify(EventFingerprint.Of("b"), 0, 2));
        Assert.Equal(LedgerVerdict.New, reader.State.Events.Classify(EventFingerprint.Of("d"), 0, 4));
    }

    [Fact]
    public async Task Trusts_have_separate_ledgers()
    {
        var table = await NewTableAsync();
        var ledgers = new TableEventLedger(table);
        await ledgers.AppendAsync(await ledgers.OpenAsync("RX1", Ct), [Entry("same-id", 0, 1)], [], Ct);

        var other = await new TableEventLedger(table).OpenAsync("RY2", Ct);

        Assert.Equal(LedgerVerdict.New, other.State.Events.Classify(EventFingerprint.Of("same-id"), 0, 9));
    }

    [Fact]
    public async Task A_stale_writer_is_refused_and_then_sees_the_other_writers_entries()
    {
        var table = await NewTableAsync();
        var first = new TableEventLedger(table);
        var second = new TableEventLedger(table);
        var firstView = await first.OpenAsync("RX1", Ct);
        var secondView = await second.OpenAsync("RX1", Ct);
        await second.AppendAsync(secondView, [Entry("from-second", 1, 7)], [], Ct);

        await Assert.ThrowsAsync<LedgerConflictException>(() => first.AppendAsync(firstView, [Entry("from-first", 0, 1)], [], Ct));
        var refreshed = await first.OpenAsync("RX1", Ct);

        Assert.Equal(LedgerVerdict.Duplicate, refreshed.State.Events.Classify(EventFingerprint.Of("from-second"), 0, 1));
        Assert.Equal(LedgerVerdict.New, refreshed.State.Events.Classify(EventFingerprint.Of("from-first"), 0, 1));
    }

    [Fact]
    public async Task Reopening_after_an_own_append_reads_nothing_again()
    {
        var table = await NewTableAsync();
        var ledgers = new TableEventLedger(table);
        var view = await ledgers.OpenAsync("RX1", Ct);
        await ledgers.AppendAsync(view, [Entry("a", 0, 1)], [], Ct);
        view.State.Events.Record(EventFingerprint.Of("only-in-memory"), 0, 2);

        var again = await ledgers.OpenAsync("RX1", Ct);

        Assert.Same(view, again);
        Assert.Equal(LedgerVerdict.Duplicate, again.State.Events.Classify(EventFingerprint.Of("only-in-memory"), 0, 3));
    }

    [Fact]
    public async Task State_records_are_stored_with_the_ledger_and_rebuilt_on_open()
    {
        var table = await NewTableAsync();
        var ledgers = new TableEventLedger(table);
        var view = await ledgers.OpenAsync("RX1", Ct);
        Assert.True(view.State.AddProcedure("proc-1", new ProcedureState("A48.4", new DateOnly(2026, 3, 1), "0123456789", "pseudo")));
        view.State.SetBaseline("proc-1", new BaselineScores(7, 45, 430));
        Assert.True(view.State.AddReport("proc-1", SafetySurveillance.Domain.Events.Outcomes.OutcomeTimepoint.Baseline));

        await ledgers.AppendAsync(view, [Entry("proc-1", 0, 1)], view.State.TakePending(), Ct);
        var reread = (await new TableEventLedger(table).OpenAsync("RX1", Ct)).State;

        Assert.Equal(new ProcedureState("A48.4", new DateOnly(2026, 3, 1), "0123456789", "pseudo"), reread.Procedure("proc-1"));
        Assert.Equal(new BaselineScores(7, 45, 430), reread.Baseline("proc-1"));
        Assert.False(reread.AddReport("proc-1", SafetySurveillance.Domain.Events.Outcomes.OutcomeTimepoint.Baseline));
        Assert.False(reread.AddProcedure("proc-2", new ProcedureState("A48.4", new DateOnly(2026, 4, 1), "0123456789", "pseudo")));
    }

    [Fact]
    public async Task A_large_batch_is_split_across_property_blocks()
    {
        var table = await NewTableAsync();
        var ledgers = new TableEventLedger(table);
        var entries = Enumerable.Range(0, 10_000).Select(i => Entry("e" + i, 0, i)).ToList();

        await ledgers.AppendAsync(await ledgers.OpenAsync("RX1", Ct), entries, [], Ct);
        var reread = await new TableEventLedger(table).OpenAsync("RX1", Ct);

        Assert.Equal(10_000, reread.State.Events.Count);
    }
}
