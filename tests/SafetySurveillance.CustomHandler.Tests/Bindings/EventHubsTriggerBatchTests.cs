using System.Text.Json;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Bindings;

public sealed class EventHubsTriggerBatchTests
{
    // The shape the Functions host sends for cardinality many + dataType string: arrays JSON-encoded as strings.
    private const string HostEncodedRequest = """
        {
          "Data": { "events": "[\"{\\\"id\\\":1}\",\"{\\\"id\\\":2}\"]" },
          "Metadata": {
            "PartitionContext": { "FullyQualifiedNamespace": "ns.servicebus.windows.net", "EventHubName": "safety-events", "ConsumerGroup": "$Default", "PartitionId": "3" },
            "SequenceNumberArray": "[41,42]",
            "OffsetArray": "[4096,8192]",
            "OffsetStringArray": "[\"4096\",\"8192\"]",
            "EnqueuedTimeUtcArray": "[\"2026-11-25T10:00:00Z\",\"2026-11-25T10:00:01Z\"]",
            "PartitionKeyArray": "[\"RX1\",null]",
            "PropertiesArray": "[{\"cloudEvents_id\":\"a\"},{}]",
            "SystemPropertiesArray": "[{\"x-opt-publisher\":\"RX1\"},{}]",
            "sys": { "MethodName": "IngestSafetyEvents", "UtcNow": "2026-11-25T10:00:02Z", "RandGuid": "00000000-0000-0000-0000-000000000000" }
          }
        }
        """;

    private const string NativeRequest = """
        {
          "Data": { "events": ["{\"id\":1}", "{\"id\":2}"] },
          "Metadata": {
            "PartitionContext": { "fullyQualifiedNamespace": "ns", "eventHubName": "safety-events", "consumerGroup": "$Default", "partitionId": "3" },
            "SequenceNumberArray": [41, 42],
            "OffsetStringArray": ["4096", "8192"],
            "EnqueuedTimeUtcArray": ["2026-11-25T10:00:00Z", "2026-11-25T10:00:01Z"],
            "PartitionKeyArray": ["RX1", null],
            "PropertiesArray": [{"cloudEvents_id":"a"}, {}],
            "SystemPropertiesArray": [{"x-opt-publisher":"RX1"}, {}]
          }
        }
        """;

    [Theory]
    [InlineData(HostEncodedRequest)]
    [InlineData(NativeRequest)]
    public void Reads_bodies_and_index_aligned_metadata_in_either_encoding(string json)
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>(json, CustomHandlerJson.Options)!;

        var batch = EventHubsTriggerBatch.Read(request, EventBodyEncoding.String);

        Assert.Equal("3", batch.PartitionContext.PartitionId);
        Assert.Equal("safety-events", batch.PartitionContext.EventHubName);
        Assert.Equal(["{\"id\":1}", "{\"id\":2}"], batch.Events.Select(e => System.Text.Encoding.UTF8.GetString(e.Body.Span)));
        Assert.Equal([41L, 42L], batch.Events.Select(e => e.SequenceNumber));
        Assert.Equal(["4096", "8192"], batch.Events.Select(e => e.Offset));
        Assert.Equal("RX1", batch.Events[0].PartitionKey);
        Assert.Null(batch.Events[1].PartitionKey);
        Assert.Equal("RX1", batch.Events[0].Publisher);
        Assert.Null(batch.Events[1].Publisher);
        Assert.Equal("a", batch.Events[0].Properties["cloudEvents_id"].GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 1, TimeSpan.Zero), batch.Events[1].EnqueuedTimeUtc);
    }

    [Theory]
    [InlineData(HostEncodedRequest)]
    [InlineData(NativeRequest)]
    public void Reading_straight_from_the_request_json_gives_what_the_invocation_request_gives(string json)
    {
        var viaRequest = EventHubsTriggerBatch.Read(JsonSerializer.Deserialize<InvocationRequest>(json, CustomHandlerJson.Options)!, EventBodyEncoding.String);

        EventHubsTriggerBatch direct;
        using (var document = JsonDocument.Parse(json))
        {
            direct = EventHubsTriggerBatch.Read(document.RootElement, EventBodyEncoding.String);
        }

        // The events outlive the request's document.
        Assert.Equal(viaRequest.PartitionContext, direct.PartitionContext);
        Assert.Equal(viaRequest.Events.Count, direct.Events.Count);
        for (var i = 0; i < direct.Events.Count; i++)
        {
            var (expected, actual) = (viaRequest.Events[i], direct.Events[i]);
            Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
            Assert.Equal(expected.SequenceNumber, actual.SequenceNumber);
            Assert.Equal(expected.Offset, actual.Offset);
            Assert.Equal(expected.EnqueuedTimeUtc, actual.EnqueuedTimeUtc);
            Assert.Equal(expected.PartitionKey, actual.PartitionKey);
            Assert.Equal(expected.Publisher, actual.Publisher);
            Assert.Equal(expected.Properties.Keys, actual.Properties.Keys);
            Assert.Equal(expected.Properties.Values.Select(v => v.GetRawText()), actual.Properties.Values.Select(v => v.GetRawText()));
            Assert.Equal(expected.SystemProperties.Values.Select(v => v.GetRawText()), actual.SystemProperties.Values.Select(v => v.GetRawText()));
        }
    }

    [Fact]
    public void A_host_encoded_array_with_escapes_and_non_ascii_text_is_read_exactly()
    {
        var bodies = new[] { "{\"a\":\"ü \\\" \\\\ \\u0041\"}", "plain", "" };
        var original = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "$Default", "2"),
            [.. bodies.Select((b, i) => new EventHubsTriggerEvent(System.Text.Encoding.UTF8.GetBytes(b), i, i.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch, null, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement> { ["x-opt-publisher"] = JsonSerializer.SerializeToElement("R\u00fc1") }))]);
        var wire = JsonSerializer.SerializeToUtf8Bytes(original.ToInvocationRequest(EventBodyEncoding.String), CustomHandlerJson.Options);

        EventHubsTriggerBatch read;
        using (var document = JsonDocument.Parse(wire))
        {
            read = EventHubsTriggerBatch.Read(document.RootElement, EventBodyEncoding.String);
        }

        Assert.Equal(bodies, read.Events.Select(e => System.Text.Encoding.UTF8.GetString(e.Body.Span)));
        Assert.All(read.Events, e => Assert.Equal("R\u00fc1", e.Publisher));
    }

    [Fact]
    public void A_request_written_with_WriteTo_reads_back_as_the_same_batch()
    {
        var original = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "$Default", "1"),
            [
                new EventHubsTriggerEvent(new byte[] { 0x7B, 0xFF, 0x22, 0x5C, 0x7D }, 5, "500", new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), "k\"1",
                    new Dictionary<string, JsonElement> { ["cloudEvents_id"] = JsonSerializer.SerializeToElement("a\"b<c>ü") },
                    new Dictionary<string, JsonElement> { ["x-opt-publisher"] = JsonSerializer.SerializeToElement("RX1"), ["x-opt-sequence-number"] = JsonSerializer.SerializeToElement(5L) }),
                new EventHubsTriggerEvent(Array.Empty<byte>(), 6, "600", DateTimeOffset.UnixEpoch, null, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>()),
            ]);
        var request = original.ToInvocationRequest(EventBodyEncoding.Binary);
        request.Metadata["RetryContext"] = JsonSerializer.SerializeToElement(new RetryContext(1, 3, null), CustomHandlerJson.Options);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            request.WriteTo(writer);
        }

        var reread = JsonSerializer.Deserialize<InvocationRequest>(buffer.WrittenSpan, CustomHandlerJson.Options)!;
        Assert.Equal(request.Data.Keys, reread.Data.Keys);
        Assert.Equal(request.Metadata.Keys, reread.Metadata.Keys);
        Assert.Equal(1, reread.RetryContext!.RetryCount);
        var read = EventHubsTriggerBatch.Read(reread, EventBodyEncoding.Binary);
        Assert.Equal(original.PartitionContext, read.PartitionContext);
        for (var i = 0; i < original.Events.Count; i++)
        {
            var (expected, actual) = (original.Events[i], read.Events[i]);
            Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
            Assert.Equal(expected.SequenceNumber, actual.SequenceNumber);
            Assert.Equal(expected.Offset, actual.Offset);
            Assert.Equal(expected.EnqueuedTimeUtc, actual.EnqueuedTimeUtc);
            Assert.Equal(expected.PartitionKey, actual.PartitionKey);
            Assert.Equal(expected.Properties.ToDictionary(p => p.Key, p => p.Value.GetRawText()), actual.Properties.ToDictionary(p => p.Key, p => p.Value.GetRawText()));
            Assert.Equal(expected.SystemProperties.ToDictionary(p => p.Key, p => p.Value.GetRawText()), actual.SystemProperties.ToDictionary(p => p.Key, p => p.Value.GetRawText()));
        }

        // As the host: the arrays travel as JSON strings.
        using var wire = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(JsonValueKind.String, wire.RootElement.GetProperty("Data").GetProperty("events").ValueKind);
        Assert.Equal(JsonValueKind.String, wire.RootElement.GetProperty("Metadata").GetProperty("SystemPropertiesArray").ValueKind);
    }

    [Theory]
    [InlineData(EventBodyEncoding.String)]
    [InlineData(EventBodyEncoding.Binary)]
    public void Large_non_ASCII_batches_round_trip_through_the_host_encoding(EventBodyEncoding encoding)
    {
        // Several times the 16 KiB segments the encoded string is written in, with multi-byte characters across them.
        var bodies = Enumerable.Range(0, 40).Select(i => "a" + new string('ü', 1000 + i) + "\"€\\").ToArray();
        var original = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "$Default", "0"),
            [.. bodies.Select((b, i) => new EventHubsTriggerEvent(System.Text.Encoding.UTF8.GetBytes(b), i, "0", DateTimeOffset.UnixEpoch, null, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>()))]);

        var wire = JsonSerializer.SerializeToUtf8Bytes(original.ToInvocationRequest(encoding), CustomHandlerJson.Options);
        using var document = JsonDocument.Parse(wire);
        var read = EventHubsTriggerBatch.Read(document.RootElement, encoding);

        Assert.Equal(bodies, read.Events.Select(e => System.Text.Encoding.UTF8.GetString(e.Body.Span)));
    }

    [Fact]
    public void Binary_bodies_keep_their_exact_bytes_even_when_they_are_not_UTF8()
    {
        byte[] body = [0x7B, 0xFF, 0xFE, 0x7D];
        var original = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "$Default", "1"),
            [new EventHubsTriggerEvent(body, 1, "0", DateTimeOffset.UnixEpoch, null, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>())]);

        var wire = JsonSerializer.Serialize(original.ToInvocationRequest(EventBodyEncoding.Binary), CustomHandlerJson.Options);
        var read = EventHubsTriggerBatch.Read(JsonSerializer.Deserialize<InvocationRequest>(wire, CustomHandlerJson.Options)!, EventBodyEncoding.Binary);
        using var document = JsonDocument.Parse(wire);
        var direct = EventHubsTriggerBatch.Read(document.RootElement, EventBodyEncoding.Binary);

        Assert.Equal(body, read.Events[0].Body.ToArray());
        Assert.Equal(body, direct.Events[0].Body.ToArray());
    }

    [Fact]
    public void Writing_a_batch_as_the_host_does_and_reading_it_back_gives_the_same_events()
    {
        var original = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "$Default", "0"),
            [
                new EventHubsTriggerEvent(System.Text.Encoding.UTF8.GetBytes("{\"a\":\"ü\"}"), 7, "700", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "key",
                    new Dictionary<string, JsonElement> { ["p"] = JsonSerializer.SerializeToElement(5) },
                    new Dictionary<string, JsonElement> { ["x-opt-publisher"] = JsonSerializer.SerializeToElement("R1A") }),
            ]);

        var wire = JsonSerializer.Serialize(original.ToInvocationRequest(EventBodyEncoding.String), CustomHandlerJson.Options);
        var read = EventHubsTriggerBatch.Read(JsonSerializer.Deserialize<InvocationRequest>(wire, CustomHandlerJson.Options)!, EventBodyEncoding.String);

        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(wire).RootElement.GetProperty("Data").GetProperty("events").ValueKind);
        Assert.Equal(original.PartitionContext, read.PartitionContext);
        var e = Assert.Single(read.Events);
        Assert.Equal("{\"a\":\"ü\"}", System.Text.Encoding.UTF8.GetString(e.Body.Span));
        Assert.Equal(7, e.SequenceNumber);
        Assert.Equal("700", e.Offset);
        Assert.Equal(original.Events[0].EnqueuedTimeUtc, e.EnqueuedTimeUtc);
        Assert.Equal("key", e.PartitionKey);
        Assert.Equal(5, e.Properties["p"].GetInt32());
        Assert.Equal("R1A", e.Publisher);
    }

    [Fact]
    public void A_metadata_array_of_the_wrong_length_is_refused()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>(NativeRequest.Replace("[41, 42]", "[41]", StringComparison.Ordinal), CustomHandlerJson.Options)!;

        var error = Assert.Throws<FormatException>(() => EventHubsTriggerBatch.Read(request, EventBodyEncoding.String));

        Assert.Contains("SequenceNumberArray", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_without_a_partition_context_is_refused()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>(NativeRequest, CustomHandlerJson.Options)!;
        request.Metadata.Remove("PartitionContext");

        Assert.Throws<FormatException>(() => EventHubsTriggerBatch.Read(request, EventBodyEncoding.String));
    }
}
