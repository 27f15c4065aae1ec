using Amqp;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Amqp;
using SafetySurveillance.EventHubs.Producer;

namespace SafetySurveillance.EventHubs.Tests.Amqp;

public sealed class BatchEncodingTests
{
    [Theory]
    [InlineData(null, 1, 10)]
    [InlineData(null, 5, 300)]
    [InlineData("trust-RX1", 3, 200)]
    [InlineData("k", 40, 1000)]
    public void A_batch_knows_its_exact_encoded_size(string? partitionKey, int count, int bodySize)
    {
        var batch = new EventDataBatch(1024 * 1024, new CreateBatchOptions { PartitionKey = partitionKey });
        for (var i = 0; i < count; i++)
        {
            var eventData = new EventData(new byte[bodySize + i]) { MessageId = $"m{i}" };
            eventData.Properties["n"] = i;
            Assert.True(batch.TryAdd(eventData));
        }

        var envelope = AmqpEventConverter.CreateBatchMessage(batch.Snapshot(), partitionKey);

        Assert.Equal(envelope.Encode().Length, batch.SizeInBytes);
    }

    [Theory]
    [InlineData(0, null, false)]
    [InlineData(255, null, false)]
    [InlineData(256, "trust-RX1", false)]
    [InlineData(1024, "k", true)]
    [InlineData(70_000, null, true)]
    public void The_hand_written_event_encoding_is_byte_for_byte_what_amqpnetlite_encodes(int bodySize, string? partitionKey, bool withProperties)
    {
        var eventData = new EventData(Enumerable.Range(0, bodySize).Select(i => (byte)i).ToArray());
        if (withProperties)
        {
            eventData.MessageId = "m-1";
            eventData.CorrelationId = "c-1";
            eventData.ContentType = "application/json";
            eventData.Properties["n"] = 7;
            eventData.Properties["when"] = DateTimeOffset.UnixEpoch;
        }

        var expected = AmqpEventConverter.ToMessage(eventData, partitionKey).Encode();

        Assert.Equal(expected.Buffer.AsSpan(expected.Offset, expected.Length).ToArray(), AmqpEventConverter.Encode(eventData, partitionKey));
    }

    [Fact]
    public void A_batch_refuses_the_event_that_would_overflow_it()
    {
        var batch = new EventDataBatch(2000, new CreateBatchOptions());
        var added = 0;
        while (batch.TryAdd(new EventData(new byte[300])))
        {
            added++;
        }

        Assert.Equal(added, batch.Count);
        Assert.InRange(batch.SizeInBytes, 1, 2000);
        Assert.True(batch.SizeInBytes + 300 > 2000);
        Assert.True(AmqpEventConverter.CreateBatchMessage(batch.Snapshot(), null).Encode().Length <= 2000);
    }

    [Fact]
    public void An_event_larger_than_the_limit_never_fits()
    {
        var batch = new EventDataBatch(1000, new CreateBatchOptions());

        Assert.False(batch.TryAdd(new EventData(new byte[1000])));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void The_envelope_is_format_0x80013700_with_one_data_section_per_event_and_the_key_on_each()
    {
        var encoded = new[] { AmqpEventConverter.Encode(new EventData("a"), "key-1"), AmqpEventConverter.Encode(new EventData("b"), "key-1") };

        var envelope = AmqpEventConverter.CreateBatchMessage(encoded, "key-1");
        var decoded = Message.Decode(envelope.Encode());

        Assert.Equal(0x80013700u, envelope.Format);
        Assert.Equal("key-1", decoded.MessageAnnotations[new Symbol("x-opt-partition-key")]);
        var sections = Assert.IsType<DataList>(decoded.BodySection);
        Assert.Equal(2, sections.Count);
        var inner = Message.Decode(new ByteBuffer(sections[1].Binary, 0, sections[1].Binary.Length, sections[1].Binary.Length));
        Assert.Equal("key-1", inner.MessageAnnotations[new Symbol("x-opt-partition-key")]);
        Assert.Equal("b"u8.ToArray(), ((Data)inner.BodySection).Binary);
    }
}
