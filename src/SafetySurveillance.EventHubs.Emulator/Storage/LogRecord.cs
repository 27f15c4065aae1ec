using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>
/// The on-disk record format (little-endian):
/// <code>
/// u32 payloadLength | u32 crc32c(payload) | payload
/// payload = u8 version (1) | i64 sequenceNumber | i64 enqueuedTimeUnixMilliseconds | message bytes
/// </code>
/// The record's offset is its byte position in the partition's logical log (segment base offset + position in
/// the segment); it is not stored because the position proves it. CRC-32C uses the CPU instruction where present.
/// </summary>
internal static class LogRecord
{
    public const int FrameHeaderSize = 8;
    public const int PayloadHeaderSize = 17;
    public const byte Version = 1;

    /// <summary>The largest payload accepted when reading: guards against a corrupt length field.</summary>
    public const int MaxPayloadSize = 16 * 1024 * 1024;

    public static int RecordSize(int messageLength) => FrameHeaderSize + PayloadHeaderSize + messageLength;

    /// <summary>Fills the frame and payload headers in front of a message already copied to <paramref name="record"/>[25..].</summary>
    public static void Seal(Span<byte> record, long sequenceNumber, long enqueuedTimeMs)
    {
        var payload = record[FrameHeaderSize..];
        payload[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(payload[1..], sequenceNumber);
        BinaryPrimitives.WriteInt64LittleEndian(payload[9..], enqueuedTimeMs);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C(payload));
    }

    /// <summary>Reads a frame header; false when it cannot be the start of a valid record.</summary>
    public static bool TryReadFrameHeader(ReadOnlySpan<byte> header, out int payloadLength, out uint crc)
    {
        payloadLength = 0;
        crc = 0;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length < PayloadHeaderSize || length > MaxPayloadSize)
        {
            return false;
        }

        payloadLength = (int)length;
        crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return true;
    }

    /// <summary>Checks a payload against its CRC and reads its header.</summary>
    public static bool TryReadPayload(ReadOnlySpan<byte> payload, uint crc, out long sequenceNumber, out long enqueuedTimeMs)
    {
        sequenceNumber = 0;
        enqueuedTimeMs = 0;
        if (payload.Length < PayloadHeaderSize || payload[0] != Version || Crc32C(payload) != crc)
        {
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
        enqueuedTimeMs = BinaryPrimitives.ReadInt64LittleEndian(payload[9..]);
        return true;
    }

    /// <summary>CRC-32C (Castagnoli), initial value and final XOR 0xFFFFFFFF.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var value in longs)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        foreach (var value in data[(longs.Length * 8)..])
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
