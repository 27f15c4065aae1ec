using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.GroundTruth;

public sealed class SignalTruthTests
{
    private static readonly SimulationOptions Options = new() { Seed = 17, EventCount = 6_000, DuplicateFraction = 0.05, MalformedFraction = 0.02 };

    [Fact]
    public void The_all_time_rows_hold_the_distinct_valid_events()
    {
        var truth = GroundTruthBuilder.Build(Runs.Generate(Options));

        Assert.Equal("signal-projection", truth.Basis);
        var national = AllTime(truth, "national");
        Assert.Equal((long)truth.National.Procedures, national["Procedures"]);
        Assert.Equal((long)truth.National.AdverseEvents, national["AdverseEvents"]);
        Assert.Equal((long)truth.National.SeriousAdverseEvents, national["SeriousAdverseEvents"]);
        Assert.Equal((long)truth.National.Revisions, national["Revisions"]);
        Assert.Equal((long)truth.National.Explants, national["Explants"]);
        Assert.Equal((long)truth.National.OutcomesByTimepoint["12-months"], national["Reports_Month12"]);
        foreach (var (ods, counts) in truth.Trusts)
        {
            var trust = AllTime(truth, "trust:" + ods);
            Assert.Equal((long)counts.Procedures, trust["Procedures"]);
            Assert.Equal((long)counts.SeriousProcedureOrDeviceRelated, trust.GetValueOrDefault("SeriousRelatedAdverseEvents", 0L));
            Assert.Equal((long)counts.UnanticipatedSeriousDeviceRelated, trust.GetValueOrDefault("UnanticipatedSeriousDeviceRelated", 0L));
        }

        Assert.DoesNotContain(truth.Signals, r => r.PartitionKey.StartsWith("UNLINKED", StringComparison.Ordinal));
    }

    [Fact]
    public void Month_rows_add_up_to_the_all_time_row()
    {
        var truth = GroundTruthBuilder.Build(Runs.Generate(Options));

        var months = truth.Signals
            .Where(r => r.RowKey == "national" && SignalKey.TryParse(r.PartitionKey, r.RowKey, out var key) && key.Period.Kind == SignalPeriodKind.Month)
            .ToList();
        Assert.True(months.Count >= 24);
        Assert.Equal(AllTime(truth, "national")["Procedures"], months.Sum(r => (long)r.Properties.GetValueOrDefault("Procedures", 0L)));
        Assert.Equal(AllTime(truth, "national")["AdverseEvents"], months.Sum(r => (long)r.Properties.GetValueOrDefault("AdverseEvents", 0L)));
    }

    [Fact]
    public void Sending_the_whole_stream_twice_changes_no_signal_row()
    {
        // 2 × 15,000 messages: the second pass also crosses the ground truth's 20,000-message batch boundary.
        var run = Runs.Generate(Options with { EventCount = 15_000 });
        var twice = run with { Events = [.. run.Events, .. run.Events.Select(e => e with { Sequence = e.Sequence + run.Events.Count })] };

        var once = GroundTruthBuilder.Build(run);
        var again = GroundTruthBuilder.Build(twice);

        Assert.Equal(once.Signals.Count, again.Signals.Count);
        Assert.Empty(SignalTruth.Compare(once.Signals, again.Signals.Select(r => (r.PartitionKey, r.RowKey, (IDictionary<string, object>)new Dictionary<string, object>(r.Properties)))));
        Assert.Equal(2 * once.Rejections.Count, again.Rejections.Count);
    }

    [Fact]
    public void Comparing_a_table_reports_each_differing_missing_or_unexpected_row()
    {
        var truth = GroundTruthBuilder.Build(Runs.Generate(Options));
        var table = truth.Signals.Select(r => (r.PartitionKey, r.RowKey, Properties: (IDictionary<string, object>)new Dictionary<string, object>(r.Properties))).ToList();
        Assert.Empty(SignalTruth.Compare(truth.Signals, table));

        var changed = table[0];
        changed.Properties["Procedures"] = (long)changed.Properties["Procedures"] + 1;
        var missing = table[1];
        table.RemoveAt(1);
        table.Add(("A48.4|1999-01", "national", new Dictionary<string, object> { ["SchemaVersion"] = 1L, ["Procedures"] = 1L }));

        var differences = SignalTruth.Compare(truth.Signals, table);

        Assert.Equal(3, differences.Count);
        Assert.Contains(differences, d => d.StartsWith($"{changed.PartitionKey}/{changed.RowKey}: Procedures expected", StringComparison.Ordinal));
        Assert.Contains($"{missing.PartitionKey}/{missing.RowKey}: missing", differences);
        Assert.Contains(differences, d => d.StartsWith("A48.4|1999-01/national: not expected", StringComparison.Ordinal));
    }

    private static SortedDictionary<string, object> AllTime(GroundTruthReport truth, string rowKey) =>
        truth.Signals.Single(r => r.PartitionKey == "A48.4|all" && r.RowKey == rowKey).Properties;
}
