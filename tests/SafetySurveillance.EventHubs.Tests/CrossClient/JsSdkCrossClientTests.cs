using System.Globalization;
using System.Text;
using System.Text.Json;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Support;

namespace SafetySurveillance.EventHubs.Tests.CrossClient;

/// <summary>
/// The official <c>@azure/event-hubs</c> 6.0.4 and this client on the same emulator: what one sends the other reads,
/// and both read the same bodies, properties and broker annotations for the same events.
/// </summary>
public sealed class JsSdkCrossClientTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private const string CloudEvent = """{"specversion":"1.0","id":"e-1","source":"/trusts/RX1","type":"uk.nhs.neuromodulation.procedure-performed.v1"}""";

    [Fact]
    public async Task Events_sent_by_the_js_sdk_read_here_as_the_js_sdk_reads_them()
    {
        var events = JsonSerializer.Serialize(new object[]
        {
            new { kind = "bytes", body = CloudEvent, contentType = "application/cloudevents+json", messageId = "m-1", correlationId = "c-1", properties = new Dictionary<string, object> { ["trust"] = "RX1", ["count"] = 3, ["ratio"] = 0.25, ["flag"] = true, ["when"] = new { date = "2026-11-25T10:11:12.345Z" } } },
            new { kind = "object", body = new { a = 1 }, properties = new Dictionary<string, object>() },
            new { kind = "string", body = "hello", properties = new Dictionary<string, object>() },
        });
        await Node.RunAsync("eventhubs.js", ["send", emulator.ConnectionString("crossjs"), "crossjs", "-", "trust-RX1", events], cancellationToken);
        var partition = PartitionKeyHasher.PartitionIndex("trust-RX1", 2).ToString(CultureInfo.InvariantCulture);

        await using var consumer = new EventHubConsumerClient("cg1", emulator.ConnectionString("crossjs"));
        var ours = await Read.EventsAsync(consumer, partition, EventPosition.Earliest, 3, cancellationToken);
        var theirs = await JsReceiveAsync("crossjs", partition, 3);

        Assert.Equal(CloudEvent, ours[0].EventBody.ToString());
        Assert.Equal("{\"a\":1}", ours[1].EventBody.ToString());
        Assert.Equal("\"hello\"", ours[2].EventBody.ToString());
        Assert.Equal("application/cloudevents+json", ours[0].ContentType);
        Assert.Equal("m-1", ours[0].MessageId);
        Assert.Equal("c-1", ours[0].CorrelationId);
        Assert.Equal("RX1", ours[0].Properties["trust"]);
        Assert.Equal(3u, ours[0].Properties["count"]); // rhea encodes a positive JS integer as uint
        Assert.Equal(0.25, ours[0].Properties["ratio"]);
        Assert.Equal(true, ours[0].Properties["flag"]);
        Assert.Equal(new DateTime(2026, 11, 25, 10, 11, 12, 345, DateTimeKind.Utc), ours[0].Properties["when"]);
        AssertSameView(ours, theirs);
    }

    [Fact]
    public async Task Events_sent_here_read_in_the_js_sdk_as_they_read_here()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("crosscs"));
        var first = new EventData(CloudEvent) { ContentType = "application/cloudevents+json", MessageId = "m-1", CorrelationId = "c-1" };
        first.Properties["trust"] = "RX1";
        first.Properties["count"] = 3;
        first.Properties["big"] = 5_000_000_000L;
        first.Properties["ratio"] = 0.25;
        first.Properties["flag"] = false;
        first.Properties["when"] = new DateTimeOffset(2026, 11, 25, 10, 11, 12, 345, TimeSpan.Zero);
        var second = new EventData(new byte[] { 0, 1, 2, 255 });
        await producer.SendAsync([first, second], new SendEventOptions { PartitionKey = "trust-RX1" }, cancellationToken);
        var partition = PartitionKeyHasher.PartitionIndex("trust-RX1", 2).ToString(CultureInfo.InvariantCulture);

        var theirs = await JsReceiveAsync("crosscs", partition, 2);
        await using var consumer = new EventHubConsumerClient("cg1", emulator.ConnectionString("crosscs"));
        var ours = await Read.EventsAsync(consumer, partition, EventPosition.Earliest, 2, cancellationToken);

        var js = theirs.RootElement[0];
        Assert.Equal(CloudEvent, Encoding.UTF8.GetString(Convert.FromBase64String(js.GetProperty("body").GetString()!)));
        Assert.Equal(Convert.ToBase64String(new byte[] { 0, 1, 2, 255 }), theirs.RootElement[1].GetProperty("body").GetString());
        Assert.Equal("application/cloudevents+json", js.GetProperty("contentType").GetString());
        Assert.Equal("m-1", js.GetProperty("messageId").GetString());
        Assert.Equal("c-1", js.GetProperty("correlationId").GetString());
        Assert.Equal("string:RX1", js.GetProperty("properties").GetProperty("trust").GetString());
        Assert.Equal("number:3", js.GetProperty("properties").GetProperty("count").GetString());
        Assert.Equal("number:5000000000", js.GetProperty("properties").GetProperty("big").GetString());
        Assert.Equal("number:0.25", js.GetProperty("properties").GetProperty("ratio").GetString());
        Assert.Equal("boolean:false", js.GetProperty("properties").GetProperty("flag").GetString());
        // rhea decodes an AMQP timestamp in application properties as epoch milliseconds, not a Date.
        Assert.Equal("number:1795601472345", js.GetProperty("properties").GetProperty("when").GetString());
        Assert.Equal("trust-RX1", js.GetProperty("partitionKey").GetString());
        AssertSameView(ours, theirs);
    }

    private async Task<JsonDocument> JsReceiveAsync(string hub, string partition, int count)
        => JsonDocument.Parse(await Node.RunAsync("eventhubs.js", ["receive", emulator.ConnectionString(hub), hub, "cg1", partition, count.ToString(CultureInfo.InvariantCulture)], cancellationToken));

    /// <summary>
    /// Both clients see the same body bytes, properties, message properties and broker annotations. Property values are
    /// compared as the JS SDK presents them (numbers, strings, booleans; timestamps as epoch milliseconds).
    /// </summary>
    private static void AssertSameView(IReadOnlyList<EventData> ours, JsonDocument theirs)
    {
        var js = theirs.RootElement.EnumerateArray().ToList();
        Assert.Equal(ours.Count, js.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var (o, j) = (ours[i], js[i]);
            Assert.Equal(Convert.ToBase64String(o.EventBody.ToArray()), j.GetProperty("body").GetString());
            Assert.Equal(o.SequenceNumber, j.GetProperty("sequenceNumber").GetInt64());
            Assert.Equal(o.OffsetString, j.GetProperty("offset").GetString());
            Assert.Equal(o.EnqueuedTime.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(j.GetProperty("enqueuedTimeUtc").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.Equal(o.PartitionKey, j.GetProperty("partitionKey").GetString());
            Assert.Equal(o.ContentType, j.GetProperty("contentType").GetString());
            Assert.Equal(o.MessageId, j.GetProperty("messageId").GetString());
            Assert.Equal(o.CorrelationId, j.GetProperty("correlationId").GetString());
            var jsProperties = j.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(o.Properties.ToDictionary(p => p.Key, p => Describe(p.Value)).OrderBy(p => p.Key), jsProperties.OrderBy(p => p.Key));
        }
    }

    private static string? Describe(object value) => value switch
    {
        string s => $"string:{s}",
        bool b => b ? "boolean:true" : "boolean:false",
        int or long or short or sbyte or byte or ushort or uint or ulong => $"number:{Convert.ToString(value, CultureInfo.InvariantCulture)}",
        double d => $"number:{d.ToString("R", CultureInfo.InvariantCulture)}",
        float f => $"number:{f.ToString("R", CultureInfo.InvariantCulture)}",
        DateTime t => $"number:{new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeMilliseconds()}",
        byte[] bytes => $"bytes:{Convert.ToBase64String(bytes)}",
        _ => $"other:{value}",
    };
}
