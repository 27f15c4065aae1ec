using System.Buffers.Binary;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// Packs ledger entries into byte blocks for storage: 28 bytes an entry (16-byte fingerprint, 4-byte partition,
/// 8-byte sequence number, all big-endian), at most <see cref="MaxEntriesPerBlock"/> entries a block so a block
/// fits a 64 KiB Table binary property.
/// </summary>
public static class LedgerChunkCodec
{
    /// <summary>Bytes one entry takes.</summary>
    public const int EntrySize = EventFingerprint.Size + sizeof(int) + sizeof(long);

    /// <summary>Most bytes a block may hold (Azure Tables: 64 KiB per binary property).</summary>
    public const int MaxBlockBytes = 64 * 1024;

    /// <summary>Most entries a block holds.</summary>
    public const int MaxEntriesPerBlock = MaxBlockBytes / EntrySize;

    /// <summary>Packs entries into blocks of at most <see cref="MaxEntriesPerBlock"/> entries.</summary>
    public static IReadOnlyList<byte[]> Encode(IReadOnlyList<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var blocks = new List<byte[]>((entries.Count + MaxEntriesPerBlock - 1) / MaxEntriesPerBlock);
        for (var start = 0; start < entries.Count; start += MaxEntriesPerBlock)
        {
            var count = Math.Min(MaxEntriesPerBlock, entries.Count - start);
            var block = new byte[count * EntrySize];
            for (var i = 0; i < count; i++)
            {
                var span = block.AsSpan(i * EntrySize, EntrySize);
                var entry = entries[start + i];
                entry.Fingerprint.Write(span);
                BinaryPrimitives.WriteInt32BigEndian(span[EventFingerprint.Size..], entry.Partition);
                BinaryPrimitives.WriteInt64BigEndian(span[(EventFingerprint.Size + sizeof(int))..], entry.SequenceNumber);
            }

            blocks.Add(block);
        }

        return blocks;
    }

    /// <summary>Unpacks one block.</summary>
    /// <exception cref="FormatException">The block's length is not a whole number of entries.</exception>
    public static IEnumerable<LedgerEntry> Decode(byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Length % EntrySize != 0)
        {
            throw new FormatException($"A ledger block of {block.Length} bytes is not a whole number of {EntrySize}-byte entries.");
        }

        for (var offset = 0; offset < block.Length; offset += EntrySize)
        {
            var span = block.AsSpan(offset, EntrySize);
            yield return new LedgerEntry(
                EventFingerprint.Read(span),
                BinaryPrimitives.ReadInt32BigEndian(span[EventFingerprint.Size..]),
                BinaryPrimitives.ReadInt64BigEndian(span[(EventFingerprint.Size + sizeof(int))..]));
        }
    }
}
