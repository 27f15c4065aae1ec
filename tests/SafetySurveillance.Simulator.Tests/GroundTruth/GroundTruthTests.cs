using System.Text.Json;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.GroundTruth;

public sealed class GroundTruthTests
{
    private static readonly SimulationOptions Options = new() { Seed = 5, EventCount = 8_000, DuplicateFraction = 0.1, MalformedFraction = 0.03 };

    [Fact]
    public void Resends_are_counted_once()
    {
        var run = Runs.Generate(Options);

        var truth = GroundTruthBuilder.Build(run);

        Assert.Equal(800, truth.DuplicateResends);
        Assert.Equal(run.ValidCount, truth.DistinctValidEvents);
        Assert.Equal(truth.DistinctValidEvents, truth.National.Procedures + truth.National.Outcomes + truth.National.AdverseEvents);
        Assert.Equal(run.Events.Count, truth.DistinctValidEvents + truth.DuplicateResends + truth.MalformedEvents);
    }

    [Fact]
    public void Every_malformed_message_is_an_expected_rejection_with_its_reason()
    {
        var run = Runs.Generate(Options);

        var truth = GroundTruthBuilder.Build(run);

        var malformed = run.Events.Where(e => e.Kind == SimulatedEventKind.Malformed).ToList();
        Assert.Equal(malformed.Select(e => e.Sequence), truth.Rejections.Select(r => r.Sequence));
        Assert.All(truth.Rejections.Zip(malformed), pair =>
        {
            Assert.Equal(pair.Second.TrustOds, pair.First.Trust);
            Assert.Contains(pair.First.Problems, p => p.StartsWith(pair.First.ExpectedProblemPath + ": ", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Trust_figures_add_up_to_the_national_figures()
    {
        var truth = GroundTruthBuilder.Build(Runs.Generate(Options));

        Assert.Equal(truth.National.Procedures, truth.Trusts.Values.Sum(t => t.Procedures));
        Assert.Equal(truth.National.Patients, truth.Trusts.Values.Sum(t => t.Patients));
        Assert.Equal(truth.National.Outcomes, truth.Trusts.Values.Sum(t => t.Outcomes));
        Assert.Equal(truth.National.AdverseEvents, truth.Trusts.Values.Sum(t => t.AdverseEvents));
        Assert.Equal(truth.National.SeriousDeviceRelated, truth.Trusts.Values.Sum(t => t.SeriousDeviceRelated));
        Assert.Equal(truth.National.Procedures, truth.Devices.Values.Sum(d => d.Procedures));
        Assert.Equal(truth.National.AdverseEvents, truth.Devices.Values.Sum(d => d.AdverseEvents));
        Assert.True(truth.National.SeriousProcedureOrDeviceRelated > truth.National.SeriousDeviceRelated);
    }

    [Fact]
    public void The_same_seed_gives_the_same_ground_truth_file()
    {
        var first = GroundTruthBuilder.Build(Runs.Generate(Options)).ToJson();
        var second = GroundTruthBuilder.Build(Runs.Generate(Options)).ToJson();

        Assert.Equal(first, second);
        using var document = JsonDocument.Parse(first);
        Assert.Equal("signal-projection", document.RootElement.GetProperty("basis").GetString());
    }

    [Fact]
    public void A_stream_that_contradicts_itself_is_refused()
    {
        var run = Runs.Generate(Options with { DuplicateFraction = 0 });
        var events = run.Events.ToList();
        var index = events.FindIndex(e => e.Kind == SimulatedEventKind.Valid);
        events[index] = events[index] with { Body = events[index].Body[..10] };

        Assert.Throws<InvalidOperationException>(() => GroundTruthBuilder.Build(run with { Events = events }));
    }
}
