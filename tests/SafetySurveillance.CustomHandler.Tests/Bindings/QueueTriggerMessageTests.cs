using System.Text.Json;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Bindings;

public sealed class QueueTriggerMessageTests
{
    // What the Functions host sends: every string and number passed through JsonConvert.SerializeObject, so the
    // message text and the ids arrive as JSON strings holding JSON string literals, and DequeueCount as "2".
    private const string HostEncodedRequest = """
        {
          "Data": { "msg": "\"{\\\"alertId\\\":\\\"a-1\\\"}\"" },
          "Metadata": {
            "DequeueCount": "2",
            "ExpirationTime": "2026-12-02T10:00:00+00:00",
            "Id": "\"5f1c9c1e-2a4b-4b8e-9a62-0c3f1e2d7a10\"",
            "InsertionTime": "2026-11-25T10:00:00+00:00",
            "NextVisibleTime": "2026-11-25T10:10:05+00:00",
            "PopReceipt": "\"AgAAAAMAAAAAAAAA\"",
            "sys": { "MethodName": "DispatchGovernanceAlerts", "UtcNow": "2026-11-25T10:00:05Z", "RandGuid": "00000000-0000-0000-0000-000000000001" }
          }
        }
        """;

    // The plain form the docs show (message text as the string itself, numbers as numbers), which a handler should also accept.
    private const string PlainRequest = """
        {
          "Data": { "msg": "{\"alertId\":\"a-1\"}" },
          "Metadata": {
            "DequeueCount": 2,
            "ExpirationTime": "2026-12-02T10:00:00Z",
            "Id": "5f1c9c1e-2a4b-4b8e-9a62-0c3f1e2d7a10",
            "InsertionTime": "2026-11-25T10:00:00Z",
            "NextVisibleTime": "2026-11-25T10:10:05Z",
            "PopReceipt": "AgAAAAMAAAAAAAAA"
          }
        }
        """;

    [Theory]
    [InlineData(HostEncodedRequest)]
    [InlineData(PlainRequest)]
    public void Reads_the_message_text_and_binding_data_in_either_form(string json)
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>(json, CustomHandlerJson.Options)!;

        var message = QueueTriggerMessage.Read(request, "msg");

        Assert.Equal("""{"alertId":"a-1"}""", message.Text);
        Assert.Equal("5f1c9c1e-2a4b-4b8e-9a62-0c3f1e2d7a10", message.Id);
        Assert.Equal("AgAAAAMAAAAAAAAA", message.PopReceipt);
        Assert.Equal(2, message.DequeueCount);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), message.InsertionTime);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), message.ExpirationTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 10, 5, TimeSpan.Zero), message.NextVisibleTime);
    }

    [Fact]
    public void Written_request_has_the_host_shape_and_reads_back_to_the_same_message()
    {
        var original = new QueueTriggerMessage(
            "plain \"quoted\" text ✓", "id-1", "receipt", 3,
            new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 25, 10, 10, 0, TimeSpan.Zero));

        var wire = JsonSerializer.Serialize(original.ToInvocationRequest("msg"), CustomHandlerJson.Options);
        using var document = JsonDocument.Parse(wire);
        var data = document.RootElement.GetProperty("Data").GetProperty("msg");
        var metadata = document.RootElement.GetProperty("Metadata");

        Assert.Equal(JsonValueKind.String, data.ValueKind);
        Assert.Equal("\"plain \\\"quoted\\\" text ✓\"", Unescape(data.GetString()!));
        Assert.Equal("3", metadata.GetProperty("DequeueCount").GetString());
        Assert.Equal("\"id-1\"", metadata.GetProperty("Id").GetString());
        Assert.Equal("2026-11-25T10:00:00+00:00", metadata.GetProperty("InsertionTime").GetString());
        Assert.False(metadata.TryGetProperty("QueueTrigger", out _));
        Assert.Equal(original, QueueTriggerMessage.Read(JsonSerializer.Deserialize<InvocationRequest>(wire, CustomHandlerJson.Options)!, "msg"));
    }

    [Fact]
    public void Message_text_that_is_itself_a_JSON_string_survives_the_host_encoding()
    {
        var original = new QueueTriggerMessage("\"already quoted\"", "i", "p", 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var wire = JsonSerializer.Serialize(original.ToInvocationRequest("msg"), CustomHandlerJson.Options);

        Assert.Equal("\"already quoted\"", QueueTriggerMessage.Read(JsonSerializer.Deserialize<InvocationRequest>(wire, CustomHandlerJson.Options)!, "msg").Text);
    }

    [Fact]
    public void A_request_without_the_binding_is_refused()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>("""{ "Data": {}, "Metadata": {} }""", CustomHandlerJson.Options)!;

        Assert.Throws<FormatException>(() => QueueTriggerMessage.Read(request, "msg"));
    }

    // System.Text.Json escapes non-ASCII in the inner text; the host (Newtonsoft) does not. Both decode to the same text.
    private static string Unescape(string jsonText) => JsonSerializer.Serialize(JsonSerializer.Deserialize<string>(jsonText), new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
