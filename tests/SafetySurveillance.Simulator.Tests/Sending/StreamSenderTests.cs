using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Sending;

public sealed class StreamSenderTests
{
    [Fact]
    public async Task Each_trust_gets_its_own_events_once_each_in_stream_order()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 3_000, DuplicateFraction = 0.05 });
        var transport = new RecordingTransport();

        var final = await new StreamSender(transport, TimeProvider.System)
            .SendAsync(run.Events, new SendOptions { WindowEvents = 37 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3_000, final.Sent);
        foreach (var trust in run.Trusts)
        {
            var expected = run.Events.Where(e => e.TrustOds == trust.OdsCode).Select(e => e.Sequence);
            Assert.Equal(expected, transport.ByTrust[trust.OdsCode].Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task A_resend_pass_sends_the_whole_stream_again()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 500 });
        var transport = new RecordingTransport();

        var final = await new StreamSender(transport, TimeProvider.System)
            .SendAsync(run.Events, new SendOptions { Passes = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1_000, final.Sent);
        Assert.Equal(2, final.Pass);
        Assert.All(transport.ByTrust.Values, q => Assert.Equal(q.Take(q.Count / 2).Select(e => e.Sequence), q.Skip(q.Count / 2).Select(e => e.Sequence)));
    }
}
