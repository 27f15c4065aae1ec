using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// A fixed-size fingerprint of a CloudEvent <c>id</c> within one source (trust): the first 128 bits of
/// SHA-256 over the id's UTF-8 bytes. The ledger stores fingerprints, never ids, so an id that happens to
/// carry identifying text is not kept. Collisions are negligible (2⁻⁶⁴ at 2³² ids per trust).
/// </summary>
public readonly record struct EventFingerprint(ulong High, ulong Low)
{
    /// <summary>Size of a fingerprint in bytes.</summary>
    public const int Size = 16;

    /// <summary>Fingerprints an event id.</summary>
    public static EventFingerprint Of(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(eventId);
        if (byteCount <= 512)
        {
            Span<byte> utf8 = stackalloc byte[byteCount];
            Encoding.UTF8.GetBytes(eventId, utf8);
            SHA256.HashData(utf8, hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(eventId), hash);
        }

        return Read(hash);
    }

    /// <summary>Reads a fingerprint from 16 bytes.</summary>
    public static EventFingerprint Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    /// <summary>Writes the fingerprint to 16 bytes.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }
}
