using System.Buffers;
using Amqp;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Protocol;

namespace SafetySurveillance.EventHubs.Emulator.Publishing;

/// <summary>
/// One event as a producer encoded it, split so the broker can add its annotations without decoding the body:
/// the header section, the producer's message annotations (decoded), and everything after them verbatim.
/// Delivery annotations from the producer are dropped.
/// </summary>
internal sealed class IncomingEvent
{
    public const uint BatchFormat = 0x80013700;

    public static readonly Symbol SequenceNumberName = new("x-opt-sequence-number");
    public static readonly Symbol OffsetName = new("x-opt-offset");
    public static readonly Symbol EnqueuedTimeName = new("x-opt-enqueued-time");
    public static readonly Symbol PartitionKeyName = new("x-opt-partition-key");
    public static readonly Symbol PublisherName = new("x-opt-publisher");

    private IncomingEvent(byte[] buffer, int headerStart, int headerLength, int restStart, int restLength, Map? annotations, string? partitionKey)
    {
        Buffer = buffer;
        HeaderStart = headerStart;
        HeaderLength = headerLength;
        RestStart = restStart;
        RestLength = restLength;
        ProducerAnnotations = annotations;
        PartitionKey = partitionKey;
    }

    public byte[] Buffer { get; }

    public int HeaderStart { get; }

    public int HeaderLength { get; }

    public int RestStart { get; }

    public int RestLength { get; }

    public Map? ProducerAnnotations { get; }

    public string? PartitionKey { get; }

    /// <summary>
    /// Splits one transfer into events: a batch (<c>0x80013700</c>) gives one event per data section, any other
    /// format is a single event. The partition key is the envelope's, else the first event's.
    /// </summary>
    /// <exception cref="FormatException">The message is not well-formed AMQP.</exception>
    public static IReadOnlyList<IncomingEvent> Parse(byte[] transfer, uint format, out string? partitionKey)
    {
        if (format != BatchFormat)
        {
            var single = Parse(transfer, 0, transfer.Length);
            partitionKey = single.PartitionKey;
            return [single];
        }

        var sections = AmqpSections.Scan(transfer);
        string? envelopeKey = null;
        var events = new List<IncomingEvent>(sections.Count);
        foreach (var section in sections)
        {
            if (section.Code == AmqpSections.MessageAnnotations)
            {
                envelopeKey = ReadPartitionKey(ReadAnnotations(transfer, section));
            }
            else if (section.Code == AmqpSections.Data)
            {
                var payload = AmqpSections.DataPayload(transfer.AsSpan(section.Start, section.Length), out var payloadOffset);
                events.Add(Parse(transfer, section.Start + payloadOffset, payload.Length));
            }
        }

        if (events.Count == 0)
        {
            throw new FormatException("A batch message must hold at least one data section.");
        }

        partitionKey = envelopeKey ?? events[0].PartitionKey;
        return events;
    }

    private static IncomingEvent Parse(byte[] buffer, int start, int length)
    {
        var sections = AmqpSections.Scan(buffer.AsSpan(start, length));
        int headerStart = start, headerLength = 0, restStart = start + length, restLength = 0;
        Map? annotations = null;
        foreach (var section in sections)
        {
            switch (section.Code)
            {
                case AmqpSections.Header:
                    headerStart = start + section.Start;
                    headerLength = section.Length;
                    break;
                case AmqpSections.DeliveryAnnotations:
                    break;
                case AmqpSections.MessageAnnotations:
                    annotations = ReadAnnotations(buffer, section with { Start = start + section.Start });
                    break;
                default:
                    restStart = start + section.Start;
                    restLength = start + length - restStart;
                    goto done;
            }
        }

    done:
        return new IncomingEvent(buffer, headerStart, headerLength, restStart, restLength, annotations, ReadPartitionKey(annotations));
    }

    private static Map? ReadAnnotations(byte[] buffer, AmqpSection section)
    {
        var value = Encoder.ReadObject(new ByteBuffer(buffer, section.Start, section.Length, section.Start + section.Length));
        return (value as MessageAnnotations)?.Map;
    }

    private static string? ReadPartitionKey(Map? annotations) =>
        annotations is not null && annotations.TryGetValue(PartitionKeyName, out var key) ? key as string : null;

    /// <summary>
    /// Writes the event as consumers receive it: the producer's header, message annotations with the broker's
    /// <c>x-opt-*</c> values, then the producer's properties, application properties, body and footer.
    /// </summary>
    public void WriteStamped(IBufferWriter<byte> output, long sequenceNumber, long offset, DateTime enqueuedTime, string? partitionKey, string? publisher)
    {
        output.Write(Buffer.AsSpan(HeaderStart, HeaderLength));

        var annotations = new MessageAnnotations();
        var map = annotations.Map;
        if (ProducerAnnotations is not null)
        {
            foreach (var entry in ProducerAnnotations)
            {
                if (entry.Key is Symbol name && IsReserved(name))
                {
                    continue;
                }

                map[entry.Key] = entry.Value;
            }
        }

        map[SequenceNumberName] = sequenceNumber;
        map[OffsetName] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        map[EnqueuedTimeName] = enqueuedTime;
        if (partitionKey is not null)
        {
            map[PartitionKeyName] = partitionKey;
        }

        if (publisher is not null)
        {
            map[PublisherName] = publisher;
        }

        var encoded = new ByteBuffer(256, true);
        annotations.Encode(encoded);
        output.Write(encoded.Buffer.AsSpan(encoded.Offset, encoded.Length));
        output.Write(Buffer.AsSpan(RestStart, RestLength));
    }

    private static bool IsReserved(Symbol name) =>
        name.Equals(SequenceNumberName) || name.Equals(OffsetName) || name.Equals(EnqueuedTimeName)
        || name.Equals(PartitionKeyName) || name.Equals(PublisherName);
}
