using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

public sealed class AmqpBindingTests
{
    [Theory]
    [InlineData("cloudEvents_")]
    [InlineData("cloudEvents:")]
    public void A_binary_mode_message_with_either_prefix_is_read(string prefix)
    {
        var message = EventSamples.Procedure().ToAmqpBinary(prefix);

        var result = SafetyEventReader.Read(message, EventSamples.Now);

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        Assert.Equal(CloudEventMode.AmqpBinary, result.Event.Envelope.Mode);
        Assert.Equal("application/json", result.Event.Envelope.DataContentType);
        Assert.IsType<ValidatedProcedurePerformed>(result.Event);
    }

    [Fact]
    public void Mixing_both_prefixes_in_one_message_is_rejected()
    {
        var message = EventSamples.Procedure().ToAmqpBinary("cloudEvents_");
        var properties = new Dictionary<string, object?>(message.ApplicationProperties);
        properties["cloudEvents:sequence"] = "1";
        properties.Remove("cloudEvents_time");
        properties["cloudEvents:time"] = "2026-03-15T09:30:00Z";

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Equal(
            "$: application properties mix the 'cloudEvents_' and 'cloudEvents:' prefixes; one message must use one separator",
            Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void Other_application_properties_are_ignored()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties)
        {
            ["x-opt-partition-key"] = "RJ1",
            ["Diagnostic-Id"] = "00-abc-def-01",
        };

        Assert.True(SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now).IsValid);
    }

    [Theory]
    [InlineData("cloudevents_id")]
    [InlineData("CloudEvents_id")]
    [InlineData("cloudEvents-id")]
    public void A_misspelt_prefix_is_reported_rather_than_ignored(string key)
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties);
        properties.Remove("cloudEvents_id");
        properties[key] = "proc-0001";

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Contains(result.Problems, p => p.Reason.Contains("prefix must be spelt exactly", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "id");
    }

    [Fact]
    public void A_native_amqp_timestamp_is_read_as_the_time()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties)
        {
            ["cloudEvents_time"] = new DateTime(2026, 3, 15, 9, 30, 0, DateTimeKind.Utc),
        };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Equal(new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero), result.Event?.Envelope.Time);
    }

    [Fact]
    public void A_native_timestamp_in_the_future_is_rejected()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties)
        {
            ["cloudEvents_time"] = new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero),
        };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Equal("time", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Native_amqp_scalars_become_canonical_extension_strings()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties)
        {
            ["cloudEvents_sequence"] = 7L,
            ["cloudEvents_replay"] = true,
            ["cloudEvents_origin"] = new Uri("https://trust.example/feed"),
        };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        Assert.Equal("7", result.Event.Envelope.Extensions["sequence"]);
        Assert.Equal("true", result.Event.Envelope.Extensions["replay"]);
        Assert.Equal("https://trust.example/feed", result.Event.Envelope.Extensions["origin"]);
    }

    [Theory]
    [InlineData("cloudEvents_data", "'data' is not an attribute")]
    [InlineData("cloudEvents_Sequence", "does not name a valid CloudEvents attribute")]
    [InlineData("cloudEvents_", "does not name a valid CloudEvents attribute")]
    public void Invalid_attribute_names_are_rejected(string key, string reasonPart)
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties) { [key] = "x" };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Contains(reasonPart, Assert.Single(result.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_string_core_attributes_and_unmappable_values_are_rejected()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties)
        {
            ["cloudEvents_id"] = 42,
            ["cloudEvents_weird"] = new object(),
            ["cloudEvents_big"] = long.MaxValue,
        };

        var texts = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now).ProblemTexts();

        Assert.Contains("id: must be an AMQP string, not Int32", texts);
        Assert.Contains("weird: has an AMQP value of type Object, which no CloudEvents attribute type maps to", texts);
        Assert.Contains("big: has an AMQP value of type Int64, which no CloudEvents attribute type maps to", texts);
        Assert.Equal(3, texts.Length);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/octet-stream", false)]
    public void The_amqp_content_type_is_the_datacontenttype(string? contentType, bool accepted)
    {
        var message = EventSamples.Procedure().ToAmqpBinary() with { ContentType = contentType };

        var result = SafetyEventReader.Read(message, EventSamples.Now);

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            Assert.Contains(result.Problems, p => p.Path == "datacontenttype");
        }
    }

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData(null, "application/json")]
    public void A_datacontenttype_property_that_agrees_or_stands_alone_is_accepted(string? contentType, string property)
    {
        var message = EventSamples.Procedure().ToAmqpBinary() with { ContentType = contentType };
        var properties = new Dictionary<string, object?>(message.ApplicationProperties) { ["cloudEvents_datacontenttype"] = property };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        Assert.Equal("application/json", result.Event.Envelope.DataContentType);
    }

    [Fact]
    public void A_datacontenttype_property_that_contradicts_the_content_type_is_rejected()
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties) { ["cloudEvents_datacontenttype"] = "text/plain" };

        var result = SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now);

        Assert.Contains(result.Problems, p => p.Path == "datacontenttype" && p.Reason.StartsWith("differs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cloudEvents_note", "a\u0000b", "note", "control character")]
    [InlineData("cloudEvents_note", "\U0001FFFF", "note", "noncharacter")]
    public void Amqp_strings_obey_the_cloudevents_string_rules(string key, string value, string path, string reasonPart)
    {
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties) { [key] = value };

        var problem = Assert.Single(SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now).Problems);

        Assert.Equal(path, problem.Path);
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amqp_string_with_a_lone_surrogate_is_rejected()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate.
        var loneSurrogate = new string((char)0xD800, 1);
        var message = EventSamples.Procedure().ToAmqpBinary();
        var properties = new Dictionary<string, object?>(message.ApplicationProperties) { ["cloudEvents_subject"] = "x" + loneSurrogate };

        var problem = Assert.Single(SafetyEventReader.Read(message with { ApplicationProperties = properties }, EventSamples.Now).Problems);

        Assert.Equal("subject: contains a lone surrogate, which CloudEvents strings must not", problem.ToString());
    }

    [Fact]
    public void Binary_mode_data_problems_use_the_same_paths_as_structured_mode()
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["painNrs"] = 11;

        var result = SafetyEventReader.Read(envelope.ToAmqpBinary(), EventSamples.Now);

        Assert.Equal("data.painNrs: 11 is outside 0–10", Assert.Single(result.Problems).ToString());
    }

    [Theory]
    [InlineData(new byte[0], "data: payload is empty; expected a JSON object")]
    [InlineData(new byte[] { 0x5B, 0x5D }, "data: the top-level JSON value is an array; expected an object")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "data: payload is not valid UTF-8 (first bad byte at offset 0)")]
    public void Binary_mode_bodies_are_parsed_as_strictly_as_structured_events(byte[] body, string expected)
    {
        var message = EventSamples.Procedure().ToAmqpBinary() with { Body = body };

        Assert.Equal(expected, Assert.Single(SafetyEventReader.Read(message, EventSamples.Now).Problems).ToString());
    }

    [Fact]
    public void An_oversize_binary_body_is_refused()
    {
        var message = EventSamples.Procedure().ToAmqpBinary() with { Body = new byte[262_145] };

        var problem = Assert.Single(SafetyEventReader.Read(message, EventSamples.Now).Problems);
        Assert.Equal("data", problem.Path);
        Assert.Contains("the limit is 262,144 bytes", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/cloudevents+json")]
    [InlineData("application/cloudevents+json; charset=utf-8")]
    [InlineData(null)]
    [InlineData("application/json")]
    public void A_structured_event_in_an_amqp_body_is_read(string? contentType)
    {
        var message = new AmqpCloudEventMessage(contentType, new Dictionary<string, object?>(), EventSamples.Procedure().Bytes());

        var result = SafetyEventReader.Read(message, EventSamples.Now);

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        Assert.Equal(CloudEventMode.Structured, result.Event.Envelope.Mode);
    }

    [Theory]
    [InlineData("application/cloudevents-batch+json")]
    [InlineData("application/cloudevents+avro")]
    [InlineData("application/cloudevents+json; charset=utf-16")]
    [InlineData("not a media type")]
    public void Unsupported_structured_formats_are_rejected(string contentType)
    {
        var message = new AmqpCloudEventMessage(contentType, new Dictionary<string, object?>(), EventSamples.Procedure().Bytes());

        var problem = Assert.Single(SafetyEventReader.Read(message, EventSamples.Now).Problems);
        Assert.Equal("content-type", problem.Path);
    }
}
