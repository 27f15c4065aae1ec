using System.Buffers.Binary;
using System.Globalization;

namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>A sparse index entry: the record at <see cref="Position"/> has this sequence number and time.</summary>
internal readonly record struct IndexEntry(long SequenceNumber, long TimeMs, long Position)
{
    public const int Size = 24;

    public long Key(LocateBy by) => by switch
    {
        LocateBy.Offset => Position,
        LocateBy.SequenceNumber => SequenceNumber,
        _ => TimeMs,
    };
}

/// <summary>What a position lookup compares.</summary>
internal enum LocateBy
{
    Offset,
    SequenceNumber,
    EnqueuedTime,
}

/// <summary>
/// One log segment file, <c>{baseOffset:D20}.log</c>, with its sparse index <c>{baseOffset:D20}.idx</c>
/// (one <see cref="IndexEntry"/> for the first record and then about every <c>IndexIntervalBytes</c>).
/// Only the active segment keeps its index in memory; sealed segments read theirs from disk when a receiver
/// looks a position up, so memory does not grow with the log.
/// </summary>
internal sealed class Segment
{
    private List<IndexEntry>? liveIndex;

    public Segment(string directory, long baseOffset)
    {
        BaseOffset = baseOffset;
        var name = baseOffset.ToString("D20", CultureInfo.InvariantCulture);
        LogPath = Path.Combine(directory, name + ".log");
        IndexPath = Path.Combine(directory, name + ".idx");
    }

    public long BaseOffset { get; }

    public string LogPath { get; }

    public string IndexPath { get; }

    /// <summary>Committed (durable and readable) bytes.</summary>
    public long Length { get; set; }

    public long End => BaseOffset + Length;

    public long FirstSequenceNumber { get; set; } = -1;

    public long LastSequenceNumber { get; set; } = -1;

    public long LastOffset { get; set; } = -1;

    public long FirstTimeMs { get; set; }

    public long LastTimeMs { get; set; }

    public bool IsEmpty => FirstSequenceNumber < 0;

    public bool IsSealed { get; private set; }

    public void MakeLive(List<IndexEntry> entries) => liveIndex = entries;

    public void Seal()
    {
        IsSealed = true;
        liveIndex = null;
    }

    public void AddLiveIndexEntry(IndexEntry entry) => liveIndex?.Add(entry);

    public IReadOnlyList<IndexEntry> ReadIndex()
    {
        var live = liveIndex;
        if (live is not null)
        {
            lock (live)
            {
                return [.. live];
            }
        }

        return ReadIndexFile(IndexPath, this) ?? [];
    }

    /// <summary>Reads an index file, or null when it is missing or does not fit the segment.</summary>
    public static List<IndexEntry>? ReadIndexFile(string path, Segment segment)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var entries = new List<IndexEntry>(bytes.Length / IndexEntry.Size);
        var previous = long.MinValue;
        for (var i = 0; i + IndexEntry.Size <= bytes.Length; i += IndexEntry.Size)
        {
            var span = bytes.AsSpan(i);
            var entry = new IndexEntry(
                BinaryPrimitives.ReadInt64LittleEndian(span),
                BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[16..]));
            if (entry.Position <= previous || entry.Position < segment.BaseOffset || entry.Position >= segment.End)
            {
                return null;
            }

            previous = entry.Position;
            entries.Add(entry);
        }

        return entries.Count > 0 && entries[0].Position == segment.BaseOffset ? entries : null;
    }

    public static byte[] Encode(IndexEntry entry)
    {
        var bytes = new byte[IndexEntry.Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, entry.SequenceNumber);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), entry.TimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), entry.Position);
        return bytes;
    }

    public static bool TryParseBaseOffset(string path, out long baseOffset) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
}
