using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Emulator.Storage;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Storage;

public sealed class PartitionLogTests : IDisposable
{
    private readonly string directory = TestPaths.NewTempDirectory("partition-log");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Appended_events_keep_their_sequence_numbers_and_offsets_after_the_log_is_reopened()
    {
        List<StoredEvent> before;
        await using (var log = Open())
        {
            await log.AppendAsync(Events("a", "b"), null, null);
            await log.AppendAsync(Events("c"), "key", "trust-1");
            before = ReadAll(log);
        }

        await using var reopened = Open();
        var after = ReadAll(reopened);

        Assert.Equal([0L, 1, 2], after.Select(e => e.SequenceNumber));
        Assert.Equal(before.Select(e => (e.SequenceNumber, e.Offset, e.EnqueuedTimeMs)), after.Select(e => (e.SequenceNumber, e.Offset, e.EnqueuedTimeMs)));
        Assert.Equal(["a", "b", "c"], after.Select(Body));
        var last = Message.Decode(new ByteBuffer(after[2].Message, 0, after[2].Message.Length, after[2].Message.Length));
        Assert.Equal(2L, last.MessageAnnotations[IncomingEvent.SequenceNumberName]);
        Assert.Equal(after[2].Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), last.MessageAnnotations[IncomingEvent.OffsetName]);
        Assert.Equal("key", last.MessageAnnotations[IncomingEvent.PartitionKeyName]);
        Assert.Equal("trust-1", last.MessageAnnotations[IncomingEvent.PublisherName]);

        var appended = await reopened.AppendAsync(Events("d"), null, null);
        Assert.Equal(3, appended.FirstSequenceNumber);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    public async Task A_torn_last_record_is_cut_off_at_start_up_and_the_next_event_reuses_its_sequence_number(int bytesLost)
    {
        await using (var log = Open())
        {
            await log.AppendAsync(Events("a", "b", "c"), null, null);
        }

        var segment = Directory.GetFiles(directory, "*.log").Single();
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - bytesLost);
        }

        await using var reopened = Open();
        Assert.Equal(["a", "b"], ReadAll(reopened).Select(Body));
        Assert.Equal(1, reopened.State.LastSequenceNumber);
        var appended = await reopened.AppendAsync(Events("d"), null, null);
        Assert.Equal(2, appended.FirstSequenceNumber);
        Assert.Equal(["a", "b", "d"], ReadAll(reopened).Select(Body));
    }

    [Fact]
    public async Task A_corrupted_byte_in_the_last_record_fails_its_crc_and_the_record_is_dropped()
    {
        await using (var log = Open())
        {
            await log.AppendAsync(Events("first", "second"), null, null);
        }

        var segment = Directory.GetFiles(directory, "*.log").Single();
        var bytes = await File.ReadAllBytesAsync(segment, TestContext.Current.CancellationToken);
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes, TestContext.Current.CancellationToken);

        await using var reopened = Open();
        Assert.Equal(["first"], ReadAll(reopened).Select(Body));
    }

    [Fact]
    public async Task Lookups_by_sequence_number_offset_and_time_find_events_across_segments()
    {
        await using var log = Open(new StorageOptions { SegmentBytes = 2048, IndexIntervalBytes = 256 });
        for (var i = 0; i < 60; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await log.AppendAsync(Events($"event-{i}"), null, null);
        }

        Assert.True(log.Segments.Count > 3);
        var all = ReadAll(log);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), all.Select(e => e.SequenceNumber));

        Assert.Equal(all[41].Offset, log.Locate(LocateBy.SequenceNumber, 40, inclusive: false));
        Assert.Equal(all[40].Offset, log.Locate(LocateBy.SequenceNumber, 40, inclusive: true));
        Assert.Equal(all[33].Offset, log.Locate(LocateBy.Offset, all[32].Offset, inclusive: false));
        Assert.Equal(all[32].Offset, log.Locate(LocateBy.Offset, all[32].Offset, inclusive: true));
        Assert.Equal(all[21].Offset, log.Locate(LocateBy.EnqueuedTime, all[20].EnqueuedTimeMs, inclusive: false));
        Assert.Equal(all[0].Offset, log.Locate(LocateBy.Offset, -1, inclusive: false));
        Assert.Equal(log.CommittedEnd, log.Locate(LocateBy.SequenceNumber, 59, inclusive: false));

        using var reader = log.OpenReader(all[45].Offset);
        var tail = new List<StoredEvent>();
        reader.Read(tail, 100, long.MaxValue);
        Assert.Equal(Enumerable.Range(45, 15).Select(i => $"event-{i}"), tail.Select(Body));
    }

    [Fact]
    public async Task Retention_deletes_whole_closed_segments_that_are_too_old_or_over_the_size_limit()
    {
        await using var log = Open(new StorageOptions { SegmentBytes = 1024, RetentionTime = TimeSpan.FromHours(1), RetentionBytesPerPartition = 4096 });
        for (var i = 0; i < 80; i++)
        {
            await log.AppendAsync(Events($"event-{i}"), null, null);
        }

        var segmentsBefore = log.Segments.Count;
        var removedForSize = log.ApplyRetention();
        Assert.True(removedForSize > 0);
        Assert.True(log.Segments.Sum(s => s.Length) <= 4096 + 1024);
        Assert.Equal(segmentsBefore - removedForSize, Directory.GetFiles(directory, "*.log").Length);
        var remaining = ReadAll(log);
        Assert.Equal(79, remaining[^1].SequenceNumber);
        Assert.Equal(log.State.BeginSequenceNumber, remaining[0].SequenceNumber);
        Assert.True(remaining[0].SequenceNumber > 0);

        time.Advance(TimeSpan.FromHours(2));
        log.ApplyRetention();
        Assert.Single(log.Segments);
        Assert.Equal(79, log.State.LastSequenceNumber);
    }

    [Fact]
    public async Task Retention_also_runs_on_an_idle_partition()
    {
        await using var log = Open(new StorageOptions { SegmentBytes = 1024, RetentionTime = TimeSpan.FromHours(1), RetentionCheckInterval = TimeSpan.FromMinutes(1) });
        for (var i = 0; i < 40; i++)
        {
            await log.AppendAsync(Events($"event-{i}"), null, null);
        }

        Assert.True(log.Segments.Count > 2);

        time.Advance(TimeSpan.FromHours(2));
        for (var attempt = 0; attempt < 100 && log.Segments.Count > 1; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Single(log.Segments);
        Assert.Single(Directory.GetFiles(directory, "*.log"));
        Assert.Equal(39, log.State.LastSequenceNumber);
    }

    private PartitionLog Open(StorageOptions? options = null) => PartitionLog.Open(directory, "0", options ?? new StorageOptions(), time);

    private static List<StoredEvent> ReadAll(PartitionLog log)
    {
        using var reader = log.OpenReader(log.Locate(LocateBy.Offset, -1, inclusive: false));
        var events = new List<StoredEvent>();
        while (reader.Read(events, 1000, long.MaxValue) > 0)
        {
        }

        return events;
    }

    private static IReadOnlyList<IncomingEvent> Events(params string[] bodies) =>
        [.. bodies.SelectMany(body =>
        {
            var bytes = new Message { BodySection = new Data { Binary = System.Text.Encoding.UTF8.GetBytes(body) } }.Encode();
            return IncomingEvent.Parse(bytes.Buffer.AsSpan(bytes.Offset, bytes.Length).ToArray(), 0, out _);
        })];

    private static string Body(StoredEvent stored)
    {
        var message = Message.Decode(new ByteBuffer(stored.Message, 0, stored.Message.Length, stored.Message.Length));
        return System.Text.Encoding.UTF8.GetString(((Data)message.BodySection).Binary);
    }
}
