using SafetySurveillance.EventHubs.Emulator.Consuming;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Protocol;

public sealed class EventPositionFilterTests
{
    [Theory]
    [InlineData("amqp.annotation.x-opt-offset > '-1'")]
    [InlineData("amqp.annotation.x-opt-offset > -1")]
    [InlineData("amqp.annotation.x-opt-offset >= '-1'")]
    public void Offset_minus_one_means_the_start_of_the_partition_in_either_quoting_style(string expression)
    {
        Assert.Equal(StartKind.Earliest, EventPositionFilter.Parse(expression).Kind);
    }

    [Theory]
    [InlineData("amqp.annotation.x-opt-offset > '@latest'")]
    [InlineData("amqp.annotation.x-opt-offset > @latest")]
    public void At_latest_means_the_end_of_the_partition(string expression)
    {
        Assert.Equal(StartKind.Latest, EventPositionFilter.Parse(expression).Kind);
    }

    [Theory]
    [InlineData("amqp.annotation.x-opt-sequence-number > '42'", "SequenceNumber", 42, false)]
    [InlineData("amqp.annotation.x-opt-sequence-number >= 42", "SequenceNumber", 42, true)]
    [InlineData("amqp.annotation.x-opt-offset > '1024'", "Offset", 1024, false)]
    [InlineData("amqp.annotation.x-opt-offset >= 1024", "Offset", 1024, true)]
    [InlineData("amqp.annotation.x-opt-enqueued-time > '1700000000000'", "EnqueuedTime", 1700000000000, false)]
    [InlineData("amqp.annotation.x-opt-enqueuedtimeutc > 1700000000000", "EnqueuedTime", 1700000000000, false)]
    public void Quoted_and_unquoted_values_parse_to_the_same_position(string expression, string kind, long value, bool inclusive)
    {
        Assert.Equal(new EventPositionFilter(Enum.Parse<StartKind>(kind), value, inclusive), EventPositionFilter.Parse(expression));
    }

    [Theory]
    [InlineData("amqp.annotation.x-opt-offset < '5'")]
    [InlineData("amqp.annotation.x-opt-sequence-number > 'abc'")]
    [InlineData("sys.partition = 1")]
    public void Expressions_the_service_does_not_understand_are_refused(string expression)
    {
        Assert.Throws<FormatException>(() => EventPositionFilter.Parse(expression));
    }
}
