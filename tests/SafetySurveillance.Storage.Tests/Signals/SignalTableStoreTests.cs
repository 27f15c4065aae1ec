using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Signals;

[Collection(AzuriteCollection.Name)]
public sealed class SignalTableStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient NewTable() => azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Signals"));

    private static async Task<Dictionary<SignalKey, (SignalRow Row, ETag ETag)>> ReadAllAsync(TableClient table)
    {
        var rows = new Dictionary<SignalKey, (SignalRow, ETag)>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(SignalEntity.KeyOf(entity), (SignalEntity.ToRow(entity), entity.ETag));
        }

        return rows;
    }

    private static void AssertRowsEqual(Dictionary<SignalKey, SignalRow> expected, Dictionary<SignalKey, (SignalRow Row, ETag ETag)> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal), actual.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal));
        foreach ((SignalKey key, SignalRow row) in expected)
        {
            Assert.True(row.Equals(actual[key].Row), $"Row {key} differs from a single application.");
        }
    }

    [Fact]
    public async Task Applying_a_batch_stores_exactly_the_rows_of_one_in_memory_application()
    {
        var table = NewTable();
        var batch = SignalBatches.Create(seed: 1, events: 300);

        var result = await new SignalTableStore(table).ApplyAsync("0", batch, Ct);

        var expected = SignalBatches.Expected(("0", batch));
        AssertRowsEqual(expected, await ReadAllAsync(table));
        Assert.Equal(expected.Count, result.RowsTouched);
        Assert.Equal(expected.Count, result.RowsWritten);
        Assert.Equal(batch.Count, result.ContributionsApplied);
        Assert.Equal(0, result.ContributionsSkipped);
        Assert.Contains(expected.Values, row => row.WatermarkFor("0") == 299);
    }

    [Fact]
    public async Task Replaying_a_batch_changes_no_signal_row()
    {
        var table = NewTable();
        var batch = SignalBatches.Create(seed: 2, events: 200);
        await new SignalTableStore(table).ApplyAsync("3", batch, Ct);
        var before = await ReadAllAsync(table);

        // A restarted process (empty cache) and the same process (warm cache) both replay the batch.
        var afterRestart = await new SignalTableStore(table).ApplyAsync("3", batch, Ct);
        var after = await ReadAllAsync(table);

        Assert.Equal(0, afterRestart.RowsWritten);
        Assert.Equal(0, afterRestart.Conflicts); // every stored row was found by the restarted process's reads
        Assert.True(afterRestart.Reads < before.Count, "Rows of one partition key were read with range queries, not one by one.");
        Assert.Equal(before.Count, afterRestart.RowsAlreadyApplied);
        Assert.Equal(batch.Count, afterRestart.ContributionsSkipped);
        Assert.Equal(before.Count, after.Count);
        foreach ((SignalKey key, (SignalRow row, ETag etag)) in before)
        {
            Assert.True(row.Equals(after[key].Row), $"Row {key} changed on replay.");
            Assert.Equal(etag, after[key].ETag); // not even rewritten
        }
    }

    [Fact]
    public async Task Replaying_with_different_boundaries_after_a_crash_gives_the_rows_of_one_application()
    {
        var once = NewTable();
        var replayed = NewTable();
        var batch = SignalBatches.Create(seed: 3, events: 400);
        await new SignalTableStore(once).ApplyAsync("1", batch, Ct);

        // The first half of the batch is applied; then a crash in the middle of the second half's writes:
        // only some of its rows were written. A new process gets a redelivery that starts earlier and ends later.
        var firstHalf = batch.Where(p => p.Contribution.SequenceNumber < 200).ToList();
        var secondHalf = batch.Where(p => p.Contribution.SequenceNumber >= 200).ToList();
        var someRowsOfSecondHalf = secondHalf.Where(p => p.Key.Scope.Kind != SignalScopeKind.National).ToList();
        await new SignalTableStore(replayed).ApplyAsync("1", firstHalf, Ct);
        await new SignalTableStore(replayed).ApplyAsync("1", someRowsOfSecondHalf, Ct);
        var overlapping = batch.Where(p => p.Contribution.SequenceNumber is >= 150 and < 320).ToList();
        await new SignalTableStore(replayed).ApplyAsync("1", overlapping, Ct);
        await new SignalTableStore(replayed).ApplyAsync("1", batch, Ct);

        var expected = (await ReadAllAsync(once)).ToDictionary(e => e.Key, e => e.Value.Row);
        AssertRowsEqual(expected, await ReadAllAsync(replayed));
    }

    [Fact]
    public async Task Batches_from_two_partitions_on_two_racing_writers_lose_no_update()
    {
        var table = NewTable();
        var first = new SignalTableStore(table);
        var second = new SignalTableStore(table);
        // Every batch of both partitions touches the same national and trust rows.
        var batchesA = Enumerable.Range(0, 12).Select(b => SignalBatches.Create(seed: 100 + b, events: 40, firstSequence: b * 40, monthsSpan: 1)).ToList();
        var batchesB = Enumerable.Range(0, 12).Select(b => SignalBatches.Create(seed: 200 + b, events: 40, firstSequence: 1000 + (b * 40), monthsSpan: 1)).ToList();
        await table.CreateIfNotExistsAsync(Ct);

        async Task<int> RunAsync(SignalTableStore store, string partition, List<List<(SignalKey, SequencedContribution)>> batches)
        {
            int conflicts = 0;
            foreach (var batch in batches)
            {
                conflicts += (await store.ApplyAsync(partition, batch, Ct)).Conflicts;
            }

            return conflicts;
        }

        var racing = await Task.WhenAll(Task.Run(() => RunAsync(first, "0", batchesA), Ct), Task.Run(() => RunAsync(second, "1", batchesB), Ct));

        var expected = SignalBatches.Expected([.. batchesA.Select(b => ("0", (IEnumerable<(SignalKey, SequencedContribution)>)b)), .. batchesB.Select(b => ("1", (IEnumerable<(SignalKey, SequencedContribution)>)b))]);
        AssertRowsEqual(expected, await ReadAllAsync(table));
        TestContext.Current.SendDiagnosticMessage($"Conflicts redone: {racing[0]} + {racing[1]}");
    }

    [Fact]
    public async Task Batches_from_four_partitions_in_one_process_never_conflict_and_lose_no_update()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        // Every batch of every partition touches the same national and trust rows, all at once.
        var partitions = Enumerable.Range(0, 4).Select(p => (
            Id: p.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Batches: Enumerable.Range(0, 8).Select(b => SignalBatches.Create(seed: 300 + (p * 10) + b, events: 40, firstSequence: b * 40, monthsSpan: 1)).ToList())).ToList();

        var results = await Task.WhenAll(partitions.Select(p => Task.Run(
            async () =>
            {
                var applied = new List<SignalWriteResult>();
                foreach (var batch in p.Batches)
                {
                    applied.Add(await store.ApplyAsync(p.Id, batch, Ct));
                }

                return applied;
            },
            Ct)));

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(0, r.Conflicts));
        var expected = SignalBatches.Expected([.. partitions.SelectMany(p => p.Batches.Select(b => (p.Id, (IEnumerable<(SignalKey, SequencedContribution)>)b)))]);
        AssertRowsEqual(expected, await ReadAllAsync(table));
    }

    [Fact]
    public async Task Calls_queued_behind_a_write_of_the_same_partition_key_are_written_together()
    {
        var transactions = new TransactionCounter();
        var options = new TableClientOptions();
        options.AddPolicy(transactions, HttpPipelinePosition.PerCall);
        var table = new TableClient(azurite.ConnectionString, UniqueName.Table("Signals"), options);
        var store = new SignalTableStore(table);
        var date = new DateOnly(2026, 3, 9);
        var month = SignalPeriod.Month(2026, 3);
        SignalKey[] keys = [SignalKey.Create("A48.4", month, SignalScope.National), SignalKey.Create("A48.4", month, SignalScope.Trust("RX1")), SignalKey.Create("A48.4", month, SignalScope.Device("05012345678900"))];
        List<(SignalKey, SequencedContribution)> Batch(long sequence) =>
            [.. keys.Select(k => (k, new SequencedContribution(sequence, new ProcedureContribution(date, ProcedureFacts.MdtSelection))))];

        // The first call's transaction is held until two more calls on the same rows are queued behind it.
        var first = Task.Run(() => store.ApplyAsync("0", Batch(10), Ct), Ct);
        await transactions.FirstStarted.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = Task.Run(() => store.ApplyAsync("1", Batch(20), Ct), Ct);
        var third = Task.Run(() => store.ApplyAsync("2", Batch(30), Ct), Ct);
        while (store.QueuedCalls < 2)
        {
            await Task.Delay(10, Ct);
        }

        transactions.ReleaseFirst();
        var results = await Task.WhenAll(first, second, third);

        Assert.Equal(2, transactions.Count); // the first call's, then one for the two queued calls
        Assert.All(results, r => Assert.Equal(3, r.RowsWritten));
        AssertRowsEqual(SignalBatches.Expected(("0", Batch(10)), ("1", Batch(20)), ("2", Batch(30))), await ReadAllAsync(table));
    }

    /// <summary>Counts entity group transactions and holds the first one until released.</summary>
    private sealed class TransactionCounter : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _release = new(0);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task FirstStarted => _firstStarted.Task;

        public void ReleaseFirst() => _release.Release();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store is asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _count) == 1)
            {
                _firstStarted.SetResult();
                await _release.WaitAsync(message.CancellationToken);
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task A_stale_cached_row_is_read_again_and_the_other_writers_update_is_kept()
    {
        var table = NewTable();
        var stale = new SignalTableStore(table);
        var other = new SignalTableStore(table);
        var batch1 = SignalBatches.Create(seed: 4, events: 20, firstSequence: 0);
        var batch3 = SignalBatches.Create(seed: 4, events: 20, firstSequence: 20); // same rows as batch1
        await stale.ApplyAsync("0", batch1, Ct);
        await other.ApplyAsync("1", batch1.Select(p => (p.Key, p.Contribution with { SequenceNumber = p.Contribution.SequenceNumber + 500 })).ToList(), Ct);

        var result = await stale.ApplyAsync("0", batch3, Ct);

        Assert.True(result.Conflicts > 0);
        Assert.Equal(result.RowsTouched, result.RowsWritten);
        var expected = SignalBatches.Expected(
            ("0", batch1),
            ("1", batch1.Select(p => (p.Key, p.Contribution with { SequenceNumber = p.Contribution.SequenceNumber + 500 }))),
            ("0", batch3));
        AssertRowsEqual(expected, await ReadAllAsync(table));
    }

    [Fact]
    public async Task Rows_of_one_partition_key_beyond_one_transaction_are_all_written_even_when_one_is_stale()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var date = new DateOnly(2026, 5, 2);
        List<(SignalKey, SequencedContribution)> Batch(long first) => Enumerable.Range(0, 250)
            .Select(i => (SignalKey.Create("A48.4", SignalPeriod.Month(2026, 5), SignalScope.Device($"{10_000_000_000_000 + i}")),
                new SequencedContribution(first + i, new ProcedureContribution(date, ProcedureFacts.RegistryEntry))))
            .ToList();
        var first = Batch(0);
        await store.ApplyAsync("0", first, Ct);
        // Another process changes one row in the middle of the second transaction's range.
        var (staleKey, _) = first[170];
        await new SignalTableStore(table).ApplyAsync("1", [(staleKey, new SequencedContribution(7, new ProcedureContribution(date, ProcedureFacts.None)))], Ct);

        var second = Batch(1000);
        var result = await store.ApplyAsync("0", second, Ct);

        Assert.Equal(250, result.RowsWritten);
        Assert.Equal(1, result.Reads); // only the stale row was read again
        Assert.Equal(1, result.Conflicts);
        AssertRowsEqual(
            SignalBatches.Expected(("0", first), ("1", [(staleKey, new SequencedContribution(7, new ProcedureContribution(date, ProcedureFacts.None)))]), ("0", second)),
            await ReadAllAsync(table));
    }

    [Fact]
    public async Task A_warm_cache_writes_known_rows_without_reading_them()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var batch1 = SignalBatches.Create(seed: 6, events: 50, firstSequence: 0);
        var batch2 = SignalBatches.Create(seed: 6, events: 50, firstSequence: 50); // same keys, later events
        var first = await store.ApplyAsync("0", batch1, Ct);

        var second = await store.ApplyAsync("0", batch2, Ct);

        Assert.InRange(first.Reads, 1, first.RowsTouched);
        Assert.Equal(0, second.Reads);
        Assert.Equal(second.RowsTouched, second.RowsWritten);
        AssertRowsEqual(SignalBatches.Expected(("0", batch1), ("0", batch2)), await ReadAllAsync(table));
    }

    [Fact]
    public async Task A_row_that_keeps_changing_fails_the_call_after_the_allowed_attempts()
    {
        var table = NewTable();
        var stale = new SignalTableStore(table, new SignalTableStoreOptions { MaxAttemptsPerRow = 1 });
        var key = SignalKey.Create("A48.4", SignalPeriod.AllTime, SignalScope.National);
        var procedure = new ProcedureContribution(new DateOnly(2026, 1, 5), ProcedureFacts.MdtSelection);
        await stale.ApplyAsync("0", [(key, new SequencedContribution(1, procedure))], Ct);
        await new SignalTableStore(table).ApplyAsync("1", [(key, new SequencedContribution(1, procedure))], Ct);

        var ex = await Assert.ThrowsAsync<SignalWriteConflictException>(() => stale.ApplyAsync("0", [(key, new SequencedContribution(2, procedure))], Ct));

        Assert.Contains("A48.4|all/national", ex.Message, StringComparison.Ordinal);
        var stored = await stale.GetAsync(key, Ct);
        Assert.Equal(2, stored!.Totals[SignalCount.Procedures]);
    }

    [Fact]
    public async Task An_invalid_partition_id_is_refused_before_any_write()
    {
        var table = NewTable();
        var batch = SignalBatches.Create(seed: 7, events: 3);

        await Assert.ThrowsAsync<ArgumentException>(() => new SignalTableStore(table).ApplyAsync("bad/partition", batch, Ct));

        Assert.Empty(await ReadAllAsync(await CreatedAsync(table)));
    }

    private static async Task<TableClient> CreatedAsync(TableClient table)
    {
        await table.CreateIfNotExistsAsync(Ct);
        return table;
    }

    [Fact]
    public async Task Keys_with_forbidden_and_separator_characters_round_trip_through_the_table()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        string[] devices = ["+H123/ABC#1?", "dev|ice:'q'\\x", "Gerät-Ω", "tab\there"];
        var date = new DateOnly(2026, 3, 10);
        var batch = devices.Select((d, i) => (SignalKey.Create("A70.1", SignalPeriod.Month(2026, 3), SignalScope.Device(d)), new SequencedContribution(i, new ProcedureContribution(date, ProcedureFacts.None)))).ToList();
        batch.Add((SignalKey.Create("odd/code?#", SignalPeriod.Month(2026, 3), SignalScope.Trust("rx1")), new SequencedContribution(9, new ProcedureContribution(date, ProcedureFacts.None))));

        await store.ApplyAsync("0", batch, Ct);

        var deviceRows = await store.QueryAsync("A70.1", SignalPeriod.Month(2026, 3), SignalScopeFilter.AllOf(SignalScopeKind.Device), Ct);
        Assert.Equal(devices.Order(StringComparer.Ordinal), deviceRows.Select(r => r.Key.Scope.Value!).Order(StringComparer.Ordinal));
        Assert.All(deviceRows, r => Assert.Equal(1, r.Row.Totals[SignalCount.Procedures]));
        var exact = await store.QueryAsync("A70.1", SignalPeriod.Month(2026, 3), SignalScopeFilter.Exactly(SignalScope.Device("+H123/ABC#1?")), Ct);
        Assert.Equal("+H123/ABC#1?", Assert.Single(exact).Key.Scope.Value);
        var oddProcedure = await store.QueryAsync("odd/code?#", SignalPeriod.Month(2026, 3), SignalScopeFilter.Any, Ct);
        Assert.Equal(SignalScope.Trust("RX1"), Assert.Single(oddProcedure).Key.Scope);
    }

    [Fact]
    public async Task Counts_that_fit_32_bits_are_stored_as_int32_larger_ones_as_int64_and_both_read_back_exactly()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var key = SignalKey.Create("A48.4", SignalPeriod.AllTime, SignalScope.National);
        // 2,200 EQ-5D reports of 1.000: Σx² = 2,200 × 1000² = 2.2 × 10⁹, past int.MaxValue.
        var batch = Enumerable.Range(0, 2200)
            .Select(i => (key, new SequencedContribution(i, new OutcomeContribution(new DateOnly(2026, 1, 5), OutcomeTimepoint.Baseline, eq5dIndex: new MeasureObservation(1000)))))
            .ToList();

        await store.ApplyAsync("0", batch, Ct);

        TableEntity raw = (await table.GetEntityAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: Ct)).Value;
        Assert.IsType<int>(raw["Eq5dIndex_Baseline_N"]);
        Assert.Equal(2200, raw["Eq5dIndex_Baseline_N"]);
        Assert.IsType<long>(raw["Eq5dIndex_Baseline_SumSq"]);
        Assert.Equal(2_200_000_000L, raw["Eq5dIndex_Baseline_SumSq"]);
        var expected = SignalBatches.Expected(("0", batch));
        Assert.True(expected[key].Equals(await store.GetAsync(key, Ct)));
        AssertRowsEqual(expected, await ReadAllAsync(table));
    }

    [Fact]
    public async Task Queries_return_only_the_rows_the_scope_filter_names()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var batch = SignalBatches.Create(seed: 8, events: 200, monthsSpan: 1);
        await store.ApplyAsync("0", batch, Ct);
        var expected = SignalBatches.Expected(("0", batch));
        var period = SignalPeriod.Month(2026, 1);

        var all = await store.QueryAsync("A70.1", period, SignalScopeFilter.Any, Ct);
        var trusts = await store.QueryAsync("A70.1", period, SignalScopeFilter.AllOf(SignalScopeKind.Trust), Ct);
        var national = await store.QueryAsync("A70.1", period, SignalScopeFilter.Exactly(SignalScope.National), Ct);

        var expectedHere = expected.Where(e => e.Key.Procedure == "A70.1" && e.Key.Period == period).ToList();
        Assert.Equal(expectedHere.Count, all.Count);
        Assert.All(all, r => Assert.True(expected[r.Key].Equals(r.Row)));
        Assert.Equal(expectedHere.Count(e => e.Key.Scope.Kind == SignalScopeKind.Trust), trusts.Count);
        Assert.All(trusts, r => Assert.Equal(SignalScopeKind.Trust, r.Key.Scope.Kind));
        Assert.True(expected[Assert.Single(national).Key].Equals(national[0].Row));
        Assert.Empty(await store.QueryAsync("Z99", period, SignalScopeFilter.Any, Ct));
        Assert.Empty(await store.QueryAsync("A70.1", SignalPeriod.Month(2030, 1), SignalScopeFilter.Exactly(SignalScope.Trust("RX1")), Ct));
        Assert.Empty(await new SignalTableStore(NewTable()).QueryAsync("A70.1", period, SignalScopeFilter.Any, Ct)); // no table yet
    }

    [Fact]
    public async Task A_row_with_every_counter_set_stays_within_the_azure_property_limit()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var key = SignalKey.Create("A48.4", SignalPeriod.AllTime, SignalScope.National);
        var contributions = new List<(SignalKey, SequencedContribution)>();
        long sequence = 0;
        var date = new DateOnly(2026, 2, 1);
        contributions.Add((key, new SequencedContribution(sequence++, new ProcedureContribution(date, (ProcedureFacts)15))));
        contributions.Add((key, new SequencedContribution(sequence++, new AdverseEventContribution((AdverseEventFacts)255, ["A0101", "E0102"]))));
        foreach (OutcomeTimepoint timepoint in Enum.GetValues<OutcomeTimepoint>())
        {
            contributions.Add((key, new SequencedContribution(sequence++, new OutcomeContribution(
                date, timepoint, new MeasureObservation(3, -2, true), new MeasureObservation(40, -5, true), new MeasureObservation(700, 50, true), new MeasureObservation(2, 1, true)))));
        }

        await store.ApplyAsync("0", contributions, Ct);

        TableEntity entity = (await table.GetEntityAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: Ct)).Value;
        int userProperties = entity.Keys.Count(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"));
        Assert.InRange(userProperties, 150, SignalEntity.MaxProperties);
        Assert.True(SignalBatches.Expected(("0", contributions))[key].Equals(await store.GetAsync(key, Ct)));
    }

    [Fact]
    public async Task Code_counts_longer_than_one_string_property_are_stored_in_parts_and_read_back_whole()
    {
        var table = NewTable();
        var store = new SignalTableStore(table);
        var key = SignalKey.Create("A48.4", SignalPeriod.Month(2026, 4), SignalScope.Trust("RX1"));
        // 4,000 distinct 16-character codes: about 76,000 characters, over the 32,768 a string property may hold.
        var contributions = Enumerable.Range(0, 4000)
            .Select(i => (key, new SequencedContribution(i, new AdverseEventContribution(AdverseEventFacts.Serious, [$"Z{i:D15}"]))))
            .ToList();

        await store.ApplyAsync("0", contributions, Ct);

        TableEntity entity = (await table.GetEntityAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: Ct)).Value;
        Assert.Contains("ImdrfCodes__3", entity.Keys);
        Assert.All(entity.Select(p => p.Value).OfType<string>(), s => Assert.True(s.Length <= SignalEntity.MaxStringChars));
        SignalRow? stored = await new SignalTableStore(table).GetAsync(key, Ct);
        Assert.Equal(4000, stored!.Totals.ImdrfCodeCounts.Count);
        Assert.True(SignalBatches.Expected(("0", contributions))[key].Equals(stored));
    }
}
