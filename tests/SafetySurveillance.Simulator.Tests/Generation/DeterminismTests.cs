using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Generation;

public sealed class DeterminismTests
{
    private static readonly SimulationOptions Options = new() { Seed = 42, EventCount = 5_000, DuplicateFraction = 0.03, MalformedFraction = 0.02 };

    [Fact]
    public void The_same_seed_and_clock_give_identical_bytes()
    {
        var first = Runs.Generate(Options);
        var second = Runs.Generate(Options);

        Assert.Equal(first.Events.Count, second.Events.Count);
        for (var i = 0; i < first.Events.Count; i++)
        {
            Assert.Equal(first.Events[i].TrustOds, second.Events[i].TrustOds);
            Assert.Equal(first.Events[i].Kind, second.Events[i].Kind);
            Assert.True(first.Events[i].Body.Span.SequenceEqual(second.Events[i].Body.Span), $"message {i} differs");
        }

        Assert.Equal(first.Digest(), second.Digest());
        Assert.Equal(first.Trusts.Select(t => (t.OdsCode, t.Volume)), second.Trusts.Select(t => (t.OdsCode, t.Volume)));
    }

    [Fact]
    public void Sub_second_clock_noise_does_not_change_the_bytes()
    {
        var first = Runs.Generate(Options, Runs.Now);
        var second = Runs.Generate(Options, Runs.Now.AddMilliseconds(731));

        Assert.Equal(first.Digest(), second.Digest());
    }

    [Fact]
    public void A_different_seed_gives_a_different_stream()
    {
        var first = Runs.Generate(Options);
        var second = Runs.Generate(Options with { Seed = 43 });

        Assert.NotEqual(first.Digest(), second.Digest());
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(7, 0.0)]
    [InlineData(1_000, 0.1)]
    [InlineData(2_345, 0.25)]
    public void The_stream_holds_exactly_the_requested_number_of_messages(int events, double duplicates)
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = events, DuplicateFraction = duplicates });

        Assert.Equal(events, run.Events.Count);
        Assert.Equal((int)Math.Round(events * duplicates), run.DuplicateCount);
        Assert.Equal(Enumerable.Range(0, events), run.Events.Select(e => e.Sequence));
    }
}
