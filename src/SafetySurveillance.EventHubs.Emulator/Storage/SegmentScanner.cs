using Microsoft.Win32.SafeHandles;

namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>Reads segment files record by record: recovery at start-up, index rebuilds and position lookups.</summary>
internal static class SegmentScanner
{
    /// <summary>
    /// Establishes a segment's committed length and first/last record. Every record's length and CRC are
    /// checked; the file is cut at the first record that is torn or corrupt (only the newest segment can have
    /// one, because a segment is flushed before the next is started).
    /// </summary>
    public static void Recover(Segment segment, bool isLast)
    {
        using var handle = File.OpenHandle(segment.LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var fileLength = RandomAccess.GetLength(handle);
        var validLength = Scan(handle, segment.BaseOffset, 0, fileLength, verify: true, (seq, timeMs, position, _) =>
        {
            if (segment.FirstSequenceNumber < 0)
            {
                segment.FirstSequenceNumber = seq;
                segment.FirstTimeMs = timeMs;
            }

            segment.LastSequenceNumber = seq;
            segment.LastTimeMs = timeMs;
            segment.LastOffset = position;
            return true;
        });
        segment.Length = validLength;
        if (validLength < fileLength && isLast)
        {
            RandomAccess.SetLength(handle, validLength);
            RandomAccess.FlushToDisk(handle);
        }

        if (!isLast && Segment.ReadIndexFile(segment.IndexPath, segment) is null)
        {
            var entries = RebuildIndex(segment, 64 * 1024);
            using var index = new FileStream(segment.IndexPath, FileMode.Create, FileAccess.Write);
            foreach (var entry in entries)
            {
                index.Write(Segment.Encode(entry));
            }
        }
    }

    /// <summary>Builds the sparse index of a segment from its records.</summary>
    public static List<IndexEntry> RebuildIndex(Segment segment, int intervalBytes)
    {
        var entries = new List<IndexEntry>();
        using var handle = File.OpenHandle(segment.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var last = long.MinValue;
        _ = Scan(handle, segment.BaseOffset, 0, segment.Length, verify: false, (seq, timeMs, position, _) =>
        {
            if (entries.Count == 0 || position - last >= intervalBytes)
            {
                entries.Add(new IndexEntry(seq, timeMs, position));
                last = position;
            }

            return true;
        });
        return entries;
    }

    /// <summary>The position of the first record in [from, end) whose key passes the comparison, or null.</summary>
    public static long? FindFirst(Segment segment, long from, long end, LocateBy by, long value, bool inclusive)
    {
        long? found = null;
        using var handle = File.OpenHandle(segment.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _ = Scan(handle, segment.BaseOffset, from - segment.BaseOffset, end - segment.BaseOffset, verify: false, (seq, timeMs, position, _) =>
        {
            var key = by switch
            {
                LocateBy.Offset => position,
                LocateBy.SequenceNumber => seq,
                _ => timeMs,
            };
            if (key > value || (inclusive && key == value))
            {
                found = position;
                return false;
            }

            return true;
        });
        return found;
    }

    /// <summary>The position just after the record at <paramref name="position"/>, or null when there is none.</summary>
    public static long? NextRecord(Segment segment, long position)
    {
        long? next = null;
        using var handle = File.OpenHandle(segment.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _ = Scan(handle, segment.BaseOffset, position - segment.BaseOffset, segment.Length, verify: false, (_, _, _, size) =>
        {
            next = position + size;
            return false;
        });
        return next;
    }

    /// <summary>
    /// Visits records from <paramref name="start"/> to <paramref name="end"/> (positions in the file); returns
    /// the file position after the last whole (and, when verifying, CRC-valid) record.
    /// </summary>
    private static long Scan(SafeFileHandle handle, long baseOffset, long start, long end, bool verify, Func<long, long, long, int, bool> visit)
    {
        var header = new byte[LogRecord.FrameHeaderSize + LogRecord.PayloadHeaderSize];
        var payload = verify ? new byte[64 * 1024] : [];
        var position = start;
        while (position + header.Length <= end)
        {
            if (RandomAccess.Read(handle, header, position) < header.Length
                || !LogRecord.TryReadFrameHeader(header, out var payloadLength, out var crc)
                || position + LogRecord.FrameHeaderSize + payloadLength > end)
            {
                break;
            }

            long seq, timeMs;
            if (verify)
            {
                if (payload.Length < payloadLength)
                {
                    payload = new byte[payloadLength];
                }

                if (RandomAccess.Read(handle, payload.AsSpan(0, payloadLength), position + LogRecord.FrameHeaderSize) < payloadLength
                    || !LogRecord.TryReadPayload(payload.AsSpan(0, payloadLength), crc, out seq, out timeMs))
                {
                    break;
                }
            }
            else
            {
                seq = BitConverter.ToInt64(header, LogRecord.FrameHeaderSize + 1);
                timeMs = BitConverter.ToInt64(header, LogRecord.FrameHeaderSize + 9);
            }

            var size = LogRecord.FrameHeaderSize + payloadLength;
            if (!visit(seq, timeMs, baseOffset + position, size))
            {
                return position;
            }

            position += size;
        }

        return position;
    }
}
