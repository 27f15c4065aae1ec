using SafetySurveillance.Domain.Events;
using SafetySurveillance.Simulator.Generation;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Generation;

public sealed class SentinelEventsTests
{
    [Fact]
    public void The_procedure_and_death_events_pass_the_event_contract_and_the_death_links_to_the_procedure()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var (procedure, death) = SentinelEvents.For("RTH", 41, new DateOnly(2026, 11, 25), now, "t1");

        var first = SafetyEventReader.Read(procedure, now);
        var second = SafetyEventReader.Read(death, now);

        Assert.True(first.IsValid, string.Join("; ", first.Problems));
        Assert.True(second.IsValid, string.Join("; ", second.Problems));
    }

    [Fact]
    public void Different_patients_get_different_event_ids()
    {
        var now = DateTimeOffset.UtcNow;
        var a = SentinelEvents.For("RTH", 1, DateOnly.FromDateTime(now.UtcDateTime), now, "r");
        var b = SentinelEvents.For("RTH", 2, DateOnly.FromDateTime(now.UtcDateTime), now, "r");

        Assert.NotEqual(a.Procedure, b.Procedure);
        Assert.NotEqual(a.Death, b.Death);
    }
}
