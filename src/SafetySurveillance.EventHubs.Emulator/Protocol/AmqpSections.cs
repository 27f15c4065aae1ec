using System.Buffers.Binary;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>One section of an encoded AMQP message: its descriptor code and where its bytes are.</summary>
internal readonly record struct AmqpSection(ulong Code, int Start, int Length);

/// <summary>
/// Walks the sections of an encoded AMQP message without decoding their values, so events can be stored and
/// forwarded as the producer encoded them.
/// </summary>
internal static class AmqpSections
{
    public const ulong Header = 0x70;
    public const ulong DeliveryAnnotations = 0x71;
    public const ulong MessageAnnotations = 0x72;
    public const ulong Properties = 0x73;
    public const ulong ApplicationProperties = 0x74;
    public const ulong Data = 0x75;

    /// <summary>Lists the sections of <paramref name="message"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a sequence of described sections.</exception>
    public static List<AmqpSection> Scan(ReadOnlySpan<byte> message)
    {
        var sections = new List<AmqpSection>(6);
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            if (message[position] != 0x00)
            {
                throw new FormatException($"Expected a described section at byte {position}.");
            }

            position++;
            var code = ReadDescriptorCode(message, ref position);
            position = SkipValue(message, position);
            sections.Add(new AmqpSection(code, start, position - start));
        }

        return sections;
    }

    /// <summary>The bytes of the binary value of a <c>data</c> section.</summary>
    public static ReadOnlySpan<byte> DataPayload(ReadOnlySpan<byte> section, out int payloadOffset)
    {
        var position = 1;
        _ = ReadDescriptorCode(section, ref position);
        var format = section[position++];
        int length;
        switch (format)
        {
            case 0xA0:
                length = section[position];
                position += 1;
                break;
            case 0xB0:
                length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(section[position..]));
                position += 4;
                break;
            default:
                throw new FormatException($"A data section holds format 0x{format:X2}, not binary.");
        }

        payloadOffset = position;
        return section.Slice(position, length);
    }

    private static ulong ReadDescriptorCode(ReadOnlySpan<byte> bytes, ref int position)
    {
        var format = bytes[position++];
        switch (format)
        {
            case 0x53:
                return bytes[position++];
            case 0x80:
                var value = BinaryPrimitives.ReadUInt64BigEndian(bytes[position..]);
                position += 8;
                return value;
            case 0x44:
                return 0;
            case 0xA3:
            case 0xB3:
                // Symbolic descriptors are not used for message sections; skip and report an unknown code.
                position = SkipValue(bytes, position - 1);
                return ulong.MaxValue;
            default:
                throw new FormatException($"Unsupported descriptor format 0x{format:X2}.");
        }
    }

    /// <summary>Returns the position just after the value that starts at <paramref name="position"/>.</summary>
    public static int SkipValue(ReadOnlySpan<byte> bytes, int position)
    {
        var format = bytes[position++];
        if (format == 0x00)
        {
            position = SkipValue(bytes, position);
            return SkipValue(bytes, position);
        }

        int next = (format >> 4) switch
        {
            0x4 => position,
            0x5 => position + 1,
            0x6 => position + 2,
            0x7 => position + 4,
            0x8 => position + 8,
            0x9 => position + 16,
            0xA or 0xC or 0xE => position + 1 + bytes[position],
            0xB or 0xD or 0xF => checked(position + 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[position..])),
            _ => throw new FormatException($"Unknown AMQP format code 0x{format:X2}."),
        };

        if (next > bytes.Length)
        {
            throw new FormatException("An AMQP value runs past the end of the message.");
        }

        return next;
    }
}
