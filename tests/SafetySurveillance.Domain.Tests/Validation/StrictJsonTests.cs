using System.Text;
using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Tests.Events;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Validation;

public sealed class StrictJsonTests
{
    private const int Limit = 262_144;

    [Theory]
    [InlineData("{\"id\":\"a\",\"id\":\"b\"}", "id")]
    [InlineData("{\"id\":\"a\",\"\\u0069d\":\"b\"}", "id")]
    [InlineData("{\"data\":{\"painNrs\":1,\"painNrs\":2}}", "data.painNrs")]
    [InlineData("{\"data\":{\"device\":{\"model\":\"a\",\"model\":\"a\"}}}", "data.device.model")]
    public void Duplicate_member_names_are_rejected_at_any_level(string json, string path)
    {
        var result = EventSamples.Read(json);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains("more than once", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_name_in_sibling_objects_is_not_a_duplicate()
    {
        var envelope = EventSamples.Procedure();
        envelope["model"] = "extension value";

        Assert.True(envelope.Read().IsValid);
    }

    [Fact]
    public void A_duplicate_inside_a_valid_event_makes_it_invalid()
    {
        var json = EventSamples.Procedure().ToJsonString().Replace("\"sex\":\"female\"", "\"sex\":\"female\",\"sex\":\"male\"", StringComparison.Ordinal);

        var problem = Assert.Single(EventSamples.Read(json).Problems);
        Assert.Equal("data.sex", problem.Path);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D })] // truncated 2-byte sequence
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D })] // overlong '/'
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D })] // UTF-8-encoded surrogate (CESU)
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x80, 0x22, 0x7D })] // lone continuation byte
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x7D })] // above U+10FFFF
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D })]
    public void Invalid_utf8_is_rejected_before_parsing(byte[] bytes)
    {
        var problem = Assert.Single(EventSamples.Read(bytes).Problems);

        Assert.Equal("$", problem.Path);
        Assert.StartsWith("payload is not valid UTF-8 (first bad byte at offset 6)", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"subject\":\"\\ud800\"}")]
    [InlineData("{\"subject\":\"\\udc00x\"}")]
    [InlineData("{\"subject\":\"\\ud800\\ud800\"}")]
    [InlineData("{\"\\ud83d\":1}")]
    public void Lone_surrogate_escapes_are_rejected(string json)
    {
        var result = EventSamples.Read(json);

        Assert.Contains(result.Problems, p => p.Reason.Contains("surrogate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_surrogate_pair_escape_is_accepted()
    {
        var envelope = EventSamples.Procedure();
        var json = envelope.ToJsonString().Replace("\"Mainstay Medical\"", "\"Mainstay \\ud83d\\ude00 Medical\"", StringComparison.Ordinal);

        Assert.True(EventSamples.Read(json).IsValid);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":[1,2,]}")]
    [InlineData("{\"a\":1 // comment\n}")]
    [InlineData("{\"a\":/* c */1}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\":Infinity}")]
    [InlineData("{\"a\":-Infinity}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":+1}")]
    [InlineData("{\"a\":.5}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\":\"tab\there\"}")]
    [InlineData("{\"a\":\"\\x41\"}")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\" 1}")]
    public void Syntax_outside_rfc_8259_is_rejected(string json)
    {
        var problem = Assert.Single(EventSamples.Read(json).Problems);

        Assert.Equal("$", problem.Path);
        Assert.StartsWith("not valid JSON (RFC 8259)", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "the top-level JSON value is an array; expected an object")]
    [InlineData("\"x\"", "the top-level JSON value is a string; expected an object")]
    [InlineData("42", "the top-level JSON value is a number; expected an object")]
    [InlineData("null", "the top-level JSON value is null; expected an object")]
    [InlineData("true", "the top-level JSON value is a boolean; expected an object")]
    [InlineData("", "payload is empty; expected a JSON object")]
    [InlineData(" \r\n\t", "payload is empty; expected a JSON object")]
    public void The_top_level_value_must_be_an_object(string json, string reason)
    {
        var problem = Assert.Single(EventSamples.Read(json).Problems);

        Assert.Equal("$: " + reason, problem.ToString());
    }

    [Fact]
    public void A_payload_of_exactly_256_KiB_is_parsed_and_one_byte_more_is_refused_unread()
    {
        var exactly = Pad(EventSamples.Procedure(), Limit);
        var over = Pad(EventSamples.Procedure(), Limit + 1);

        var accepted = EventSamples.Read(exactly);
        var refused = EventSamples.Read(over);

        Assert.Equal(Limit, exactly.Length);
        Assert.Equal(Limit, SafetyEventReader.MaxPayloadBytes);
        Assert.True(accepted.IsValid, string.Join("\n", accepted.ProblemTexts()));
        Assert.Equal("$: payload is 262,145 bytes; the limit is 262,144 bytes (256 KiB)", Assert.Single(refused.Problems).ToString());
    }

    [Fact]
    public void Oversize_garbage_is_refused_for_its_size_alone()
    {
        var garbage = new byte[Limit + 10];
        Array.Fill(garbage, (byte)0xFF);

        var problem = Assert.Single(EventSamples.Read(garbage).Problems);
        Assert.Contains("the limit is 262,144 bytes", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_ignored_and_counts_towards_the_size()
    {
        var body = EventSamples.Procedure().Bytes();
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray();
        var exactlyWithBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Pad(EventSamples.Procedure(), Limit - 2)).ToArray();
        var twoBoms = new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF }.Concat(body).ToArray();

        Assert.True(EventSamples.Read(withBom).IsValid);
        Assert.Contains("the limit is", Assert.Single(EventSamples.Read(exactlyWithBom).Problems).Reason, StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON", Assert.Single(EventSamples.Read(twoBoms).Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf16_payload_is_not_utf8_json()
    {
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(EventSamples.Procedure().ToJsonString())).ToArray();

        Assert.False(EventSamples.Read(utf16).IsValid);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected_without_a_stack_overflow()
    {
        var deep = "{\"x\":" + string.Concat(Enumerable.Repeat("[", 100_000)) + string.Concat(Enumerable.Repeat("]", 100_000)) + "}";

        var problem = Assert.Single(EventSamples.Read(deep).Problems);
        Assert.StartsWith("not valid JSON (RFC 8259)", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("depth", problem.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Nesting_within_the_limit_reaches_validation()
    {
        var envelope = EventSamples.Procedure();
        JsonNode nested = new JsonArray();
        for (var i = 0; i < 20; i++)
        {
            nested = new JsonArray(nested);
        }

        envelope.Data()["extra"] = nested;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.extra", problem.Path);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var envelope = EventSamples.Outcome();
        envelope.Remove("id");
        envelope["source"] = "/trusts/rj1";
        envelope["time"] = "2030-01-01T00:00:00Z";
        var data = envelope.Data();
        data["painNrs"] = 11;
        data["odi"] = 101;
        data["eq5d5lIndex"] = -0.6;
        data["pgic"] = 0;
        data["assessmentDate"] = "2025-08-01";
        data["colour"] = "blue";

        var texts = envelope.Read().ProblemTexts();

        Assert.Equal(
            [
                "id: is required (a non-empty string, unique per source)",
                "source: the ODS code must be upper case ('/trusts/RJ1')",
                "time: 2030-01-01T00:00:00Z is in the future (now is 2026-03-15T12:00:00Z; up to 5 minutes of clock skew are allowed)",
                "data.painNrs: 11 is outside 0–10",
                "data.odi: 101 is outside 0–100",
                "data.eq5d5lIndex: -0.6 is outside -0.594–1",
                "data.pgic: 0 is outside 1–7",
                "data.colour: is not a property of outcome-reported.v1; unknown properties are rejected",
                "data.assessmentDate: 2025-08-01 is before the procedure date 2025-09-01",
            ],
            texts);
    }

    [Fact]
    public void Thousands_of_faults_are_summarised_after_the_first_hundred()
    {
        var envelope = EventSamples.Procedure();
        for (var i = 0; i < 5000; i++)
        {
            envelope.Data()["unknown" + i] = i;
        }

        var problems = envelope.Read().Problems;

        Assert.Equal(101, problems.Count);
        Assert.Equal("$: 4900 further problems were found and not listed", problems[^1].ToString());
    }

    [Fact]
    public void Hostile_property_names_are_escaped_and_truncated_in_paths()
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["bad'\n" + new string('x', 500)] = 1;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.StartsWith("data['bad\\u0027\\u000axxx", problem.Path, StringComparison.Ordinal);
        Assert.True(problem.Path.Length < 100);
        Assert.DoesNotContain('\n', problem.Path);
    }

    /// <summary>Pads with insignificant white space (RFC 8259 §2) to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Pad(JsonObject envelope, int size)
    {
        var body = envelope.Bytes();
        return body.Concat(Enumerable.Repeat((byte)' ', size - body.Length)).ToArray();
    }
}
