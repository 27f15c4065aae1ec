using System.Globalization;
using System.Text.Json.Nodes;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Conformance;

/// <summary>
/// The official JS SDK (<c>@azure/event-hubs</c>, pinned in package-lock.json) against the in-process emulator.
/// Each test uses its own hub so the shared emulator's state does not couple them.
/// </summary>
public sealed class JsSdkConformanceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hub_and_partition_properties_describe_the_configured_hub()
    {
        var result = await NodeScript.RunAsync("properties", Args("props"), cancellationToken);

        Assert.Equal("props", result["name"]!.GetValue<string>());
        Assert.Equal(["0", "1", "2"], Strings(result["partitionIds"]));
        Assert.Equal(["0", "1", "2"], Strings(result["ids"]));
        foreach (var partition in result["partitions"]!.AsArray())
        {
            Assert.True(partition!["isEmpty"]!.GetValue<bool>());
            Assert.Equal(-1, partition["lastEnqueuedSequenceNumber"]!.GetValue<long>());
            Assert.Equal("-1", partition["lastEnqueuedOffset"]!.GetValue<string>());
            Assert.Equal("props", partition["eventHubName"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_batch_sent_with_a_partition_key_lands_in_the_partition_its_key_hashes_to()
    {
        var keys = new[] { "trust-RX1", "trust-RTH", "trust-R0A" };
        var batches = keys.Select(k => new { partitionKey = k, bodies = new[] { $"{k}-1", $"{k}-2", $"{k}-3" } }).ToArray();
        var sent = await NodeScript.RunAsync("send", new { connectionString = fixture.ConnectionString, hub = "bykey", batches }, cancellationToken);
        Assert.All(sent["results"]!.AsArray(), r => Assert.Equal(1048576, r!["maxSizeInBytes"]!.GetValue<int>()));

        foreach (var key in keys)
        {
            var partition = PartitionKeyHasher.PartitionIndex(key, 4).ToString(CultureInfo.InvariantCulture);
            var received = await NodeScript.RunAsync("receive", new
            {
                connectionString = fixture.ConnectionString,
                hub = "bykey",
                partitionId = partition,
                start = new { kind = "earliest" },
                untilBodies = new[] { $"{key}-1", $"{key}-2", $"{key}-3" },
            }, cancellationToken);
            var mine = Events(received).Where(e => e["partitionKey"]?.GetValue<string>() == key).ToList();
            Assert.Equal([$"{key}-1", $"{key}-2", $"{key}-3"], mine.Select(e => e["body"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_batch_sent_to_a_partition_is_received_in_order_with_sequence_numbers_offsets_and_properties()
    {
        var batches = new[] { new { partitionId = "1", bodies = new[] { "p1", "p2", "p3", "p4" }, properties = new { source = "/trusts/RX1" } } };
        await NodeScript.RunAsync("send", new { connectionString = fixture.ConnectionString, hub = "bypartition", batches }, cancellationToken);

        var received = await ReceiveAsync("bypartition", "1", new { kind = "earliest" }, count: 4);

        var events = Events(received);
        Assert.Equal(["p1", "p2", "p3", "p4"], events.Select(e => e["body"]!.GetValue<string>()));
        Assert.Equal([0L, 1, 2, 3], events.Select(e => e["sequenceNumber"]!.GetValue<long>()));
        var offsets = events.Select(e => long.Parse(e["offset"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, offsets[0]);
        Assert.Equal(offsets.Order(), offsets);
        Assert.All(events, e => Assert.Equal("/trusts/RX1", e["properties"]!["source"]!.GetValue<string>()));
        Assert.All(events, e => Assert.NotNull(e["enqueuedTimeUtc"]));

        var properties = await NodeScript.RunAsync("properties", Args("bypartition"), cancellationToken);
        var partition1 = properties["partitions"]!.AsArray().Single(p => p!["partitionId"]!.GetValue<string>() == "1")!;
        Assert.Equal(3, partition1["lastEnqueuedSequenceNumber"]!.GetValue<long>());
        Assert.Equal(offsets[^1].ToString(CultureInfo.InvariantCulture), partition1["lastEnqueuedOffset"]!.GetValue<string>());
        Assert.False(partition1["isEmpty"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Receivers_start_at_a_sequence_number_an_offset_or_an_enqueued_time()
    {
        var batches = Enumerable.Range(0, 3).Select(b => new { partitionId = "0", bodies = Enumerable.Range(0, 3).Select(i => $"e{(b * 3) + i}").ToArray() }).ToArray();
        await NodeScript.RunAsync("send", new { connectionString = fixture.ConnectionString, hub = "positions", batches }, cancellationToken);
        var all = Events(await ReceiveAsync("positions", "0", new { kind = "earliest" }, count: 9));
        Assert.Equal(9, all.Count);

        var afterFour = Events(await ReceiveAsync("positions", "0", new { kind = "sequence", value = 4, inclusive = false }, count: 4));
        Assert.Equal(["e5", "e6", "e7", "e8"], Bodies(afterFour));

        var fromFour = Events(await ReceiveAsync("positions", "0", new { kind = "sequence", value = 4, inclusive = true }, count: 5));
        Assert.Equal(["e4", "e5", "e6", "e7", "e8"], Bodies(fromFour));

        var offsetOfSix = all[6]["offset"]!.GetValue<string>();
        var afterOffset = Events(await ReceiveAsync("positions", "0", new { kind = "offset", value = offsetOfSix, inclusive = false }, count: 2));
        Assert.Equal(["e7", "e8"], Bodies(afterOffset));

        var fromOffset = Events(await ReceiveAsync("positions", "0", new { kind = "offset", value = offsetOfSix, inclusive = true }, count: 3));
        Assert.Equal(["e6", "e7", "e8"], Bodies(fromOffset));

        var beforeAll = DateTimeOffset.Parse(all[0]["enqueuedTimeUtc"]!.GetValue<string>(), CultureInfo.InvariantCulture).AddSeconds(-1).ToUnixTimeMilliseconds();
        var byTime = Events(await ReceiveAsync("positions", "0", new { kind = "enqueuedOn", value = beforeAll }, count: 9));
        Assert.Equal(Bodies(all), Bodies(byTime));
    }

    [Fact]
    public async Task A_receiver_at_latest_sees_only_events_sent_after_it_attached()
    {
        var early = new[] { new { partitionId = "0", bodies = new[] { "old-1", "old-2" } } };
        await NodeScript.RunAsync("send", new { connectionString = fixture.ConnectionString, hub = "latest", batches = early }, cancellationToken);

        var received = await NodeScript.RunAsync("receive", new
        {
            connectionString = fixture.ConnectionString,
            hub = "latest",
            partitionId = "0",
            start = new { kind = "latest" },
            count = 2,
            sendAfterSubscribe = "new",
        }, cancellationToken);

        var bodies = Bodies(Events(received));
        Assert.True(bodies.Count >= 2);
        Assert.All(bodies, b => Assert.StartsWith("new-", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_tracks_last_enqueued_event_properties_gets_runtime_metrics()
    {
        var batches = new[] { new { partitionId = "0", bodies = new[] { "m1", "m2", "m3" } } };
        await NodeScript.RunAsync("send", new { connectionString = fixture.ConnectionString, hub = "metrics", batches }, cancellationToken);

        var received = await NodeScript.RunAsync("receive", new
        {
            connectionString = fixture.ConnectionString,
            hub = "metrics",
            partitionId = "0",
            start = new { kind = "earliest" },
            count = 3,
            trackLastEnqueuedEventProperties = true,
        }, cancellationToken);

        Assert.Equal(2, received["lastEnqueued"]!["sequenceNumber"]!.GetValue<long>());
        Assert.Equal(Events(received)[2]["offset"]!.GetValue<string>(), received["lastEnqueued"]!["offset"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_hub_is_reported_as_entity_not_found_and_not_retried()
    {
        var result = await NodeScript.RunAsync("missingHub", Args("no-such-hub"), cancellationToken);

        foreach (var error in new[] { result["properties"]!, result["send"]! })
        {
            Assert.Equal("MessagingEntityNotFoundError", error["code"]!.GetValue<string>());
            Assert.False(error["retryable"]!.GetValue<bool>());
            Assert.Contains("could not be found", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_event_over_one_megabyte_is_refused_as_too_large()
    {
        var result = await NodeScript.RunAsync("oversize", new { connectionString = fixture.ConnectionString, hub = "limits", size = 1100 * 1024 }, cancellationToken);

        Assert.Equal("MessageTooLargeError", result["error"]!["code"]!.GetValue<string>());
        var properties = await NodeScript.RunAsync("properties", Args("limits"), cancellationToken);
        Assert.True(properties["partitions"]![0]!["isEmpty"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_hundred_js_connections_in_a_row_all_complete_their_handshake()
    {
        // Without the transport's handshake ordering, 80 of 100 such connections hung in rhea (measured).
        var result = await NodeScript.RunAsync("connections", new { connectionString = fixture.ConnectionString, hub = "props", count = 100, perConnectionTimeoutMs = 5000 }, cancellationToken);

        Assert.Equal(100, result["opened"]!.GetValue<int>());
        Assert.Empty(result["hung"]!.AsArray());
    }

    private object Args(string hub) => new { connectionString = fixture.ConnectionString, hub };

    private Task<JsonNode> ReceiveAsync(string hub, string partitionId, object start, int count, int timeoutMs = 20000) =>
        NodeScript.RunAsync("receive", new { connectionString = fixture.ConnectionString, hub, partitionId, start, count, timeoutMs }, cancellationToken);

    private static List<JsonNode> Events(JsonNode received)
    {
        Assert.Null(received["error"]);
        return [.. received["events"]!.AsArray().Select(e => e!)];
    }

    private static List<string> Bodies(List<JsonNode> events) => [.. events.Select(e => e["body"]!.GetValue<string>())];

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];
}
