using Amqp;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Amqp;

namespace SafetySurveillance.EventHubs.Tests.Amqp;

public sealed class EventConverterTests
{
    [Fact]
    public void Body_properties_and_message_properties_survive_the_wire()
    {
        var id = Guid.NewGuid();
        var sent = new EventData("{\"hello\":1}") { ContentType = "application/cloudevents+json", MessageId = "m-1", CorrelationId = "c-1" };
        sent.Properties["text"] = "value";
        sent.Properties["int"] = 42;
        sent.Properties["long"] = 42L;
        sent.Properties["double"] = 1.5;
        sent.Properties["bool"] = true;
        sent.Properties["guid"] = id;
        sent.Properties["time"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var received = AmqpEventConverter.FromMessage(Message.Decode(AmqpEventConverter.ToMessage(sent, null).Encode()));

        Assert.Equal(sent.EventBody.ToArray(), received.EventBody.ToArray());
        Assert.Equal("application/cloudevents+json", received.ContentType);
        Assert.Equal("m-1", received.MessageId);
        Assert.Equal("c-1", received.CorrelationId);
        Assert.Equal("value", received.Properties["text"]);
        Assert.Equal(42, received.Properties["int"]);
        Assert.Equal(42L, received.Properties["long"]);
        Assert.Equal(1.5, received.Properties["double"]);
        Assert.Equal(true, received.Properties["bool"]);
        Assert.Equal(id, received.Properties["guid"]);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), received.Properties["time"]);
    }

    [Fact]
    public void Broker_annotations_become_system_properties()
    {
        var enqueued = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var message = new Message { BodySection = new Data { Binary = [1, 2, 3] }, MessageAnnotations = new MessageAnnotations() };
        message.MessageAnnotations[new Symbol("x-opt-sequence-number")] = 17L;
        message.MessageAnnotations[new Symbol("x-opt-offset")] = "4096";
        message.MessageAnnotations[new Symbol("x-opt-enqueued-time")] = enqueued;
        message.MessageAnnotations[new Symbol("x-opt-partition-key")] = "trust-RX1";
        message.MessageAnnotations[new Symbol("x-opt-publisher")] = "RX1";

        var received = AmqpEventConverter.FromMessage(Message.Decode(message.Encode()));

        Assert.Equal(17L, received.SequenceNumber);
        Assert.Equal("4096", received.OffsetString);
        Assert.Equal(new DateTimeOffset(enqueued), received.EnqueuedTime);
        Assert.Equal("trust-RX1", received.PartitionKey);
        Assert.Equal("RX1", received.PublisherName);
        Assert.Equal(17L, received.SystemProperties["x-opt-sequence-number"]);
    }

    [Fact]
    public void A_numeric_offset_from_an_older_broker_reads_as_text()
    {
        var message = new Message { BodySection = new Data { Binary = [] }, MessageAnnotations = new MessageAnnotations() };
        message.MessageAnnotations[new Symbol("x-opt-offset")] = 123L;

        Assert.Equal("123", AmqpEventConverter.FromMessage(message).OffsetString);
    }

    [Fact]
    public void A_value_body_is_read_as_utf8_text()
    {
        var received = AmqpEventConverter.FromMessage(new Message("plain text"));

        Assert.Equal("plain text", received.EventBody.ToString());
    }

    [Fact]
    public void A_property_type_amqp_cannot_carry_is_refused_before_sending()
    {
        var eventData = new EventData("x");
        eventData.Properties["bad"] = new List<int>();

        Assert.Throws<ArgumentException>(() => AmqpEventConverter.ToMessage(eventData, null));
    }
}
