namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>Reads a partition log forward from a record boundary, never past the committed end.</summary>
internal sealed class LogReader : IDisposable
{
    private readonly PartitionLog log;
    private readonly byte[] header = new byte[LogRecord.FrameHeaderSize];
    private FileStream? stream;
    private Segment? current;

    public LogReader(PartitionLog log, long position)
    {
        this.log = log;
        Position = position;
    }

    /// <summary>The offset of the next record to read.</summary>
    public long Position { get; private set; }

    /// <summary>Reads up to <paramref name="maxCount"/> committed records; returns how many were added.</summary>
    public int Read(List<StoredEvent> into, int maxCount, long maxBytes)
    {
        var count = 0;
        long bytes = 0;
        while (count < maxCount && bytes < maxBytes)
        {
            var end = log.CommittedEnd;
            if (Position >= end || !EnsureSegment())
            {
                break;
            }

            if (Position >= current!.End)
            {
                if (current.IsSealed)
                {
                    Position = current.End;
                    CloseSegment();
                    continue;
                }

                break;
            }

            stream!.ReadExactly(header);
            if (!LogRecord.TryReadFrameHeader(header, out var payloadLength, out var crc))
            {
                throw new InvalidDataException($"Partition {log.PartitionId}: bad record header at offset {Position}.");
            }

            var payload = new byte[payloadLength];
            stream.ReadExactly(payload);
            if (!LogRecord.TryReadPayload(payload, crc, out var seq, out var timeMs))
            {
                throw new InvalidDataException($"Partition {log.PartitionId}: record at offset {Position} fails its CRC.");
            }

            var message = payload.AsSpan(LogRecord.PayloadHeaderSize).ToArray();
            into.Add(new StoredEvent(seq, Position, timeMs, message));
            Position += LogRecord.FrameHeaderSize + payloadLength;
            bytes += payloadLength;
            count++;
        }

        return count;
    }

    public void Dispose() => CloseSegment();

    private bool EnsureSegment()
    {
        if (current is not null && Position >= current.BaseOffset && (Position < current.End || !current.IsSealed))
        {
            return true;
        }

        CloseSegment();
        var segments = log.Segments;
        if (Position < segments[0].BaseOffset)
        {
            // Retention removed the segment this reader was in: continue at the oldest remaining event.
            Position = segments[0].BaseOffset;
        }

        for (var i = segments.Count - 1; i >= 0; i--)
        {
            if (segments[i].BaseOffset <= Position)
            {
                current = segments[i];
                break;
            }
        }

        if (current is null)
        {
            return false;
        }

        try
        {
            stream = new FileStream(current.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        }
        catch (FileNotFoundException)
        {
            current = null;
            Position = log.Segments[0].BaseOffset;
            return false;
        }

        stream.Position = Position - current.BaseOffset;
        return true;
    }

    private void CloseSegment()
    {
        stream?.Dispose();
        stream = null;
        current = null;
    }
}
