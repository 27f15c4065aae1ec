using System.Text;

namespace SafetySurveillance.EventHubs.Emulator.Publishing;

/// <summary>
/// Maps a partition key to a partition, stably across restarts and machines:
/// Bob Jenkins' lookup3 <c>hashlittle2</c> over the key's UTF-8 bytes with both seeds 0, folded to 16 bits as
/// <c>(short)(c ^ b)</c>, then <c>|h| % partitionCount</c>. This is the scheme the .NET Event Hubs SDK's
/// <c>PartitionResolver</c> uses to predict the service; it was not checked against the service here.
/// </summary>
public static class PartitionKeyHasher
{
    /// <summary>The index (0-based) of the partition for <paramref name="partitionKey"/>.</summary>
    public static int PartitionIndex(string partitionKey, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var hash = Hash16(Encoding.UTF8.GetBytes(partitionKey));
        return Math.Abs(hash % partitionCount);
    }

    /// <summary>The 16-bit folded lookup3 hash.</summary>
    public static short Hash16(ReadOnlySpan<byte> key)
    {
        HashLittle2(key, 0, 0, out var c, out var b);
        return (short)(c ^ b);
    }

    /// <summary>lookup3 <c>hashlittle2</c>: returns the primary (<paramref name="c"/>) and secondary (<paramref name="b"/>) hashes.</summary>
    public static void HashLittle2(ReadOnlySpan<byte> key, uint primarySeed, uint secondarySeed, out uint c, out uint b)
    {
        var length = key.Length;
        uint a = 0xdeadbeef + (uint)length + primarySeed;
        b = a;
        c = a + secondarySeed;

        var offset = 0;
        while (length > 12)
        {
            a += ReadUInt32(key, offset);
            b += ReadUInt32(key, offset + 4);
            c += ReadUInt32(key, offset + 8);
            Mix(ref a, ref b, ref c);
            offset += 12;
            length -= 12;
        }

        if (length == 0)
        {
            return;
        }

        Span<byte> tail = stackalloc byte[12];
        tail.Clear();
        key.Slice(offset, length).CopyTo(tail);
        a += ReadUInt32(tail, 0);
        b += ReadUInt32(tail, 4);
        c += ReadUInt32(tail, 8);
        Final(ref a, ref b, ref c);
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, int offset) =>
        (uint)(bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24));

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
