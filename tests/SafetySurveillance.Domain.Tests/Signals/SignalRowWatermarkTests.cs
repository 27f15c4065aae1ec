using CsCheck;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalRowWatermarkTests
{
    private const long Iterations = 300;

    private static readonly Gen<SequencedContribution[]> Batch =
        from first in Gen.Long[0, 1_000_000]
        from gaps in Gen.Int[1, 5].Array[0, 40]
        from events in SignalGenerators.Contribution.Array[gaps.Length]
        select Sequence(first, gaps, events);

    [Fact]
    public void Replaying_a_batch_changes_no_signal_row()
    {
        Gen.Select(SignalGenerators.Contribution.Array[0, 20], Batch).Sample(
            (history, batch) =>
            {
                SignalRow row = RowWith(history);
                row.Apply("3", batch);
                SignalRow afterFirst = row.Clone();

                int appliedAgain = row.Apply("3", batch);

                Assert.Equal(0, appliedAgain);
                Assert.Equal(afterFirst, row);
            },
            iter: Iterations);
    }

    [Fact]
    public void A_redelivery_overlapping_the_last_write_adds_only_the_unseen_events()
    {
        Gen.Select(Batch, Gen.Int[0, 40]).Sample(
            (batch, cut) =>
            {
                int k = Math.Min(cut, batch.Length);
                SignalRow once = new();
                once.Apply("0", batch);

                // The first attempt wrote the row for the first k events, then the host restarted from an older
                // checkpoint and delivered the whole batch again.
                SignalRow crashed = new();
                crashed.Apply("0", batch.AsSpan(0, k));
                crashed.Apply("0", batch);

                Assert.Equal(once, crashed);
            },
            iter: Iterations);
    }

    [Fact]
    public void Applying_a_batch_counts_exactly_its_events_and_moves_the_watermark_to_the_last()
    {
        Batch.Sample(
            batch =>
            {
                var row = new SignalRow();
                int applied = row.Apply("7", batch);
                Assert.Equal(batch.Length, applied);
                Assert.Equal(SignalGenerators.Fold(batch.Select(e => e.Contribution)), row.Totals);
                Assert.Equal(batch.Length == 0 ? -1 : batch[^1].SequenceNumber, row.WatermarkFor("7"));
            },
            iter: Iterations);
    }

    [Fact]
    public void Watermarks_of_different_partitions_are_independent()
    {
        SignalContribution procedure = new ProcedureContribution(new DateOnly(2026, 3, 4), ProcedureFacts.None);
        var row = new SignalRow();
        row.Apply("0", [new SequencedContribution(100, procedure)]);

        int applied = row.Apply("1", [new SequencedContribution(5, procedure)]);

        Assert.Equal(1, applied);
        Assert.Equal(2, row.Totals[SignalCount.Procedures]);
        Assert.Equal(100, row.WatermarkFor("0"));
        Assert.Equal(5, row.WatermarkFor("1"));
    }

    [Fact]
    public void Events_at_or_below_the_watermark_are_skipped_and_the_rest_applied()
    {
        SignalContribution procedure = new ProcedureContribution(new DateOnly(2026, 3, 4), ProcedureFacts.None);
        var row = new SignalRow();
        row.Apply("0", [new SequencedContribution(10, procedure)]);

        int applied = row.Apply("0", [new(9, procedure), new(10, procedure), new(11, procedure), new(12, procedure)]);

        Assert.Equal(2, applied);
        Assert.Equal(3, row.Totals[SignalCount.Procedures]);
        Assert.Equal(12, row.WatermarkFor("0"));
    }

    [Fact]
    public void The_pure_form_leaves_the_original_row_untouched()
    {
        SignalContribution procedure = new ProcedureContribution(new DateOnly(2026, 3, 4), ProcedureFacts.None);
        var row = new SignalRow();
        SignalRow next = SignalRow.Applied(row, "0", [new SequencedContribution(0, procedure)]);
        Assert.Equal(new SignalRow(), row);
        Assert.Equal(1, next.Totals[SignalCount.Procedures]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0;1")]
    [InlineData("a=b")]
    public void Malformed_partition_ids_are_rejected(string partition)
    {
        Assert.Throws<ArgumentException>(() => new SignalRow().Apply(partition, []));
    }

    [Fact]
    public void Negative_sequence_numbers_are_rejected()
    {
        SignalContribution procedure = new ProcedureContribution(new DateOnly(2026, 3, 4), ProcedureFacts.None);
        Assert.Throws<ArgumentException>(() => new SignalRow().Apply("0", [new SequencedContribution(-1, procedure)]));
    }

    internal static SignalRow RowWith(IEnumerable<SignalContribution> history)
    {
        var row = new SignalRow();
        row.Apply("3", Sequence(0, [.. history.Select(_ => 1)], [.. history]));
        return row;
    }

    private static SequencedContribution[] Sequence(long first, int[] gaps, SignalContribution[] events)
    {
        var result = new SequencedContribution[events.Length];
        long sequence = first;
        for (int i = 0; i < events.Length; i++)
        {
            result[i] = new SequencedContribution(sequence, events[i]);
            sequence += gaps[i];
        }

        return result;
    }
}
