using System.Threading.Channels;
using SafetySurveillance.EventHubs.Emulator.Publishing;

namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>What a partition holds, as the management READ reports it.</summary>
internal readonly record struct PartitionState(
    long BeginSequenceNumber,
    long LastSequenceNumber,
    long LastOffset,
    DateTime LastEnqueuedTimeUtc,
    bool IsEmpty);

/// <summary>One appended event as it is stored.</summary>
internal sealed record StoredEvent(long SequenceNumber, long Offset, long EnqueuedTimeMs, byte[] Message);

/// <summary>The result of one append: the sequence numbers given to its events.</summary>
internal readonly record struct AppendResult(long FirstSequenceNumber, long LastSequenceNumber);

/// <summary>
/// A partition's append-only log: segment files written by one writer task, readable up to the last flushed
/// record. Appends are queued; the writer takes every queued append, writes them in one go, flushes per the
/// <see cref="FlushMode"/>, and only then completes them (group commit).
/// </summary>
internal sealed class PartitionLog : IAsyncDisposable
{
    private readonly string directory;
    private readonly StorageOptions options;
    private readonly TimeProvider time;
    private readonly Channel<AppendRequest> appends = Channel.CreateUnbounded<AppendRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RecordBuffer buffer = new(1024 * 1024);
    private readonly Lock stateLock = new();
    private readonly Task writerTask;
    private readonly ITimer retentionTimer;
    private volatile Segment[] segments;
    private TaskCompletionSource committed = NewSignal();
    private FileStream? activeLog;
    private FileStream? activeIndex;
    private long nextSequenceNumber;
    private long lastTimeMs;
    private long lastIndexedPosition = -1;
    private long lastRetentionCheck;
    private PartitionState state;

    private PartitionLog(string directory, StorageOptions options, TimeProvider time, List<Segment> recovered)
    {
        this.directory = directory;
        this.options = options;
        this.time = time;
        segments = [.. recovered];
        var last = recovered[^1];
        nextSequenceNumber = recovered.LastOrDefault(s => !s.IsEmpty)?.LastSequenceNumber + 1 ?? 0;
        lastTimeMs = recovered.LastOrDefault(s => !s.IsEmpty)?.LastTimeMs ?? 0;
        OpenActive(last);
        state = ComputeState();
        lastRetentionCheck = time.GetTimestamp();
        writerTask = Task.Run(WriteLoopAsync);

        // Retention runs on the writer task (it changes the segment list), so an idle partition gets a tick.
        retentionTimer = time.CreateTimer(
            _ => appends.Writer.TryWrite(new AppendRequest([], null, null)),
            null,
            options.RetentionCheckInterval,
            options.RetentionCheckInterval);
    }

    public string PartitionId { get; private init; } = "";

    /// <summary>The end of the durable, readable log (the offset the next event will get).</summary>
    public long CommittedEnd => segments[^1].End;

    public PartitionState State
    {
        get
        {
            lock (stateLock)
            {
                return state;
            }
        }
    }

    /// <summary>Opens (and recovers) the log in <paramref name="directory"/>: a torn or corrupt tail record is cut off.</summary>
    public static PartitionLog Open(string directory, string partitionId, StorageOptions options, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var files = Directory.GetFiles(directory, "*.log")
            .Select(path => Segment.TryParseBaseOffset(path, out var baseOffset) ? baseOffset : -1)
            .Where(b => b >= 0)
            .Order()
            .ToList();
        var recovered = new List<Segment>();
        for (var i = 0; i < files.Count; i++)
        {
            var segment = new Segment(directory, files[i]);
            var isLast = i == files.Count - 1;
            SegmentScanner.Recover(segment, isLast);
            if (!isLast)
            {
                segment.Seal();
            }

            recovered.Add(segment);
        }

        if (recovered.Count == 0)
        {
            var first = new Segment(directory, 0);
            first.MakeLive([]);
            recovered.Add(first);
        }

        return new PartitionLog(directory, options, time, recovered) { PartitionId = partitionId };
    }

    /// <summary>Queues an append; the task completes once the events are written per the flush mode.</summary>
    public Task<AppendResult> AppendAsync(IReadOnlyList<IncomingEvent> events, string? partitionKey, string? publisher)
    {
        var request = new AppendRequest(events, partitionKey, publisher);
        if (!appends.Writer.TryWrite(request))
        {
            return Task.FromException<AppendResult>(new ObjectDisposedException(nameof(PartitionLog)));
        }

        return request.Completion.Task;
    }

    /// <summary>Completes when the committed end moves past <paramref name="knownEnd"/>.</summary>
    public Task WaitForCommitAsync(long knownEnd)
    {
        var signal = Volatile.Read(ref committed);
        return CommittedEnd > knownEnd ? Task.CompletedTask : signal.Task;
    }

    public IReadOnlyList<Segment> Segments => segments;

    /// <summary>
    /// The position of the first record whose key is greater than <paramref name="value"/> (or equal, when
    /// <paramref name="inclusive"/>); the committed end when there is none yet.
    /// </summary>
    public long Locate(LocateBy by, long value, bool inclusive)
    {
        var snapshot = segments;
        var end = snapshot[^1].End;
        Segment? chosen = null;
        foreach (var segment in snapshot)
        {
            if (segment.IsEmpty)
            {
                continue;
            }

            var firstKey = by switch
            {
                LocateBy.Offset => segment.BaseOffset,
                LocateBy.SequenceNumber => segment.FirstSequenceNumber,
                _ => segment.FirstTimeMs,
            };
            if (firstKey > value || (inclusive && firstKey == value))
            {
                break;
            }

            chosen = segment;
        }

        if (chosen is null)
        {
            return snapshot.FirstOrDefault(s => !s.IsEmpty)?.BaseOffset ?? end;
        }

        var index = chosen.ReadIndex();
        var from = chosen.BaseOffset;
        foreach (var entry in index)
        {
            var key = entry.Key(by);
            if (key < value || (!inclusive && key == value))
            {
                from = entry.Position;
            }
            else
            {
                break;
            }
        }

        var found = SegmentScanner.FindFirst(chosen, from, chosen.End, by, value, inclusive);
        if (found is not null)
        {
            return found.Value;
        }

        var next = Array.FindIndex(snapshot, s => s == chosen) + 1;
        return next < snapshot.Length ? snapshot[next].BaseOffset : end;
    }

    /// <summary>Opens a reader at <paramref name="position"/> (a record boundary from <see cref="Locate"/>).</summary>
    public LogReader OpenReader(long position) => new(this, position);

    public async ValueTask DisposeAsync()
    {
        await retentionTimer.DisposeAsync().ConfigureAwait(false);
        appends.Writer.TryComplete();
        try
        {
            await writerTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (activeLog is not null)
        {
            await activeLog.DisposeAsync().ConfigureAwait(false);
        }

        if (activeIndex is not null)
        {
            await activeIndex.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OpenActive(Segment segment)
    {
        activeLog = new FileStream(segment.LogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        activeLog.SetLength(segment.Length);
        activeLog.Position = segment.Length;
        var entries = segment.IsEmpty ? [] : SegmentScanner.RebuildIndex(segment, options.IndexIntervalBytes);
        segment.MakeLive(entries);
        activeIndex = new FileStream(segment.IndexPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        foreach (var entry in entries)
        {
            activeIndex.Write(Segment.Encode(entry));
        }

        lastIndexedPosition = entries.Count > 0 ? entries[^1].Position : -1;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AppendRequest>();
        var reader = appends.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            long pendingBytes = 0;
            while (pendingBytes < 8 * 1024 * 1024 && reader.TryRead(out var request))
            {
                batch.Add(request);
                pendingBytes += request.Events.Sum(e => (long)e.RestLength + e.HeaderLength + 128);
            }

            try
            {
                Write(batch);
                foreach (var request in batch)
                {
                    request.Completion.TrySetResult(request.Result);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(exception);
                }
            }

            ApplyRetentionIfDue();
        }
    }

    private void Write(List<AppendRequest> batch)
    {
        var active = segments[^1];
        buffer.Clear();
        var position = active.End;
        var startOfBuffer = position;
        var newIndexEntries = new List<IndexEntry>();
        long firstSeq = active.FirstSequenceNumber, lastSeq = active.LastSequenceNumber, lastOffset = active.LastOffset;
        long firstTime = active.FirstTimeMs, lastTime = active.LastTimeMs;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeMs = Math.Max(nowMs, lastTimeMs);

        foreach (var request in batch)
        {
            if (active.Length + (position - startOfBuffer) > 0
                && active.Length + (position - startOfBuffer) >= options.SegmentBytes)
            {
                Flush(active, startOfBuffer, position, newIndexEntries, firstSeq, lastSeq, lastOffset, firstTime, lastTime);
                active = Roll(active);
                buffer.Clear();
                startOfBuffer = position = active.End;
                newIndexEntries.Clear();
                firstSeq = lastSeq = lastOffset = -1;
                firstTime = lastTime = 0;
            }

            var requestFirst = nextSequenceNumber;
            foreach (var incoming in request.Events)
            {
                var seq = nextSequenceNumber++;
                var recordStart = buffer.Length;
                buffer.Advance(LogRecord.FrameHeaderSize + LogRecord.PayloadHeaderSize);
                incoming.WriteStamped(buffer, seq, position, DateTime.UnixEpoch.AddMilliseconds(timeMs), request.PartitionKey, request.Publisher);
                LogRecord.Seal(buffer.Written[recordStart..], seq, timeMs);
                if (lastIndexedPosition < 0 || position - lastIndexedPosition >= options.IndexIntervalBytes || firstSeq < 0)
                {
                    newIndexEntries.Add(new IndexEntry(seq, timeMs, position));
                    lastIndexedPosition = position;
                }

                if (firstSeq < 0)
                {
                    firstSeq = seq;
                    firstTime = timeMs;
                }

                lastSeq = seq;
                lastOffset = position;
                lastTime = timeMs;
                position += buffer.Length - recordStart;
            }

            request.Result = new AppendResult(requestFirst, nextSequenceNumber - 1);
        }

        lastTimeMs = timeMs;
        Flush(active, startOfBuffer, position, newIndexEntries, firstSeq, lastSeq, lastOffset, firstTime, lastTime);
    }

    private void Flush(Segment active, long startOfBuffer, long position, List<IndexEntry> newIndexEntries,
        long firstSeq, long lastSeq, long lastOffset, long firstTime, long lastTime)
    {
        if (position == startOfBuffer)
        {
            return;
        }

        activeLog!.Write(buffer.Written);
        if (options.FlushMode == FlushMode.Fsync)
        {
            activeLog.Flush(flushToDisk: true);
        }

        foreach (var entry in newIndexEntries)
        {
            activeIndex!.Write(Segment.Encode(entry));
            active.AddLiveIndexEntry(entry);
        }

        lock (stateLock)
        {
            active.FirstSequenceNumber = firstSeq;
            active.FirstTimeMs = firstTime;
            active.LastSequenceNumber = lastSeq;
            active.LastOffset = lastOffset;
            active.LastTimeMs = lastTime;
            active.Length = position - active.BaseOffset;
            state = ComputeState();
        }

        var signal = Interlocked.Exchange(ref committed, NewSignal());
        signal.TrySetResult();
    }

    private Segment Roll(Segment active)
    {
        activeLog!.Flush(flushToDisk: true);
        activeLog.Dispose();
        activeIndex!.Flush(flushToDisk: true);
        activeIndex.Dispose();
        active.Seal();
        var next = new Segment(directory, active.End);
        next.MakeLive([]);
        activeLog = new FileStream(next.LogPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        activeIndex = new FileStream(next.IndexPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        lastIndexedPosition = -1;
        lock (stateLock)
        {
            segments = [.. segments, next];
        }

        return next;
    }

    private void ApplyRetentionIfDue()
    {
        if (time.GetElapsedTime(lastRetentionCheck) < options.RetentionCheckInterval)
        {
            return;
        }

        lastRetentionCheck = time.GetTimestamp();
        ApplyRetention();
    }

    /// <summary>Deletes whole closed segments that are past the retention time or over the size limit.</summary>
    internal int ApplyRetention()
    {
        Segment[] removed;
        lock (stateLock)
        {
            var snapshot = segments;
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var total = snapshot.Sum(s => s.Length);
            var remove = 0;
            for (var i = 0; i < snapshot.Length - 1; i++)
            {
                var segment = snapshot[i];
                var expired = options.RetentionTime is { } retention && nowMs - segment.LastTimeMs > retention.TotalMilliseconds;
                var oversize = options.RetentionBytesPerPartition is { } limit && total > limit;
                if (!expired && !oversize)
                {
                    break;
                }

                total -= segment.Length;
                remove++;
            }

            if (remove == 0)
            {
                return 0;
            }

            removed = snapshot[..remove];
            segments = snapshot[remove..];
            state = ComputeState();
        }

        foreach (var segment in removed)
        {
            File.Delete(segment.LogPath);
            File.Delete(segment.IndexPath);
        }

        return removed.Length;
    }

    private PartitionState ComputeState()
    {
        var snapshot = segments;
        var first = snapshot.FirstOrDefault(s => !s.IsEmpty);
        var last = snapshot.LastOrDefault(s => !s.IsEmpty);
        if (first is null || last is null)
        {
            return new PartitionState(nextSequenceNumber, nextSequenceNumber - 1, -1, DateTime.UnixEpoch, true);
        }

        return new PartitionState(
            first.FirstSequenceNumber,
            last.LastSequenceNumber,
            last.LastOffset,
            DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(last.LastTimeMs), DateTimeKind.Utc),
            false);
    }

    private sealed class AppendRequest(IReadOnlyList<IncomingEvent> events, string? partitionKey, string? publisher)
    {
        public IReadOnlyList<IncomingEvent> Events { get; } = events;

        public string? PartitionKey { get; } = partitionKey;

        public string? Publisher { get; } = publisher;

        public AppendResult Result { get; set; }

        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
