using SafetySurveillance.EventHubs.Consumer;

namespace SafetySurveillance.EventHubs.Tests.Consumer;

public sealed class EventPositionTests
{
    [Fact]
    public void Positions_become_the_selector_filters_the_service_understands()
    {
        Assert.Equal("amqp.annotation.x-opt-offset > '-1'", EventPosition.Earliest.ToString());
        Assert.Equal("amqp.annotation.x-opt-offset > '@latest'", EventPosition.Latest.ToString());
        Assert.Equal("amqp.annotation.x-opt-offset >= '4096'", EventPosition.FromOffset("4096").ToString());
        Assert.Equal("amqp.annotation.x-opt-offset > '4096'", EventPosition.FromOffset("4096", isInclusive: false).ToString());
        Assert.Equal("amqp.annotation.x-opt-sequence-number >= '12'", EventPosition.FromSequenceNumber(12).ToString());
        Assert.Equal("amqp.annotation.x-opt-sequence-number > '12'", EventPosition.FromSequenceNumber(12, isInclusive: false).ToString());
        Assert.Equal(
            "amqp.annotation.x-opt-enqueued-time > '1767225600000'",
            EventPosition.FromEnqueuedTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToString());
    }

    [Fact]
    public void Positions_compare_by_value()
    {
        Assert.Equal(EventPosition.FromSequenceNumber(3), EventPosition.FromSequenceNumber(3, true));
        Assert.NotEqual(EventPosition.FromSequenceNumber(3), EventPosition.FromSequenceNumber(3, false));
        Assert.True(EventPosition.Earliest == EventPosition.Earliest);
        Assert.True(EventPosition.Earliest != EventPosition.Latest);
    }
}
