using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Pseudonymisation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

public sealed class StructuredEnvelopeTests
{
    [Fact]
    public void A_valid_procedure_event_is_read_with_its_attributes_and_data()
    {
        var result = EventSamples.Procedure().Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        var procedure = Assert.IsType<ValidatedProcedurePerformed>(result.Event);
        Assert.Equal("proc-0001", procedure.Envelope.Id);
        Assert.Equal("RJ1", procedure.Envelope.OdsCode);
        Assert.Equal(SafetyEventType.ProcedurePerformed, procedure.Envelope.EventType);
        Assert.Equal(CloudEventMode.Structured, procedure.Envelope.Mode);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero), procedure.Envelope.Time);
        Assert.Equal("A48.4", procedure.Data.ProcedureCode);
        Assert.Equal(new DateOnly(2026, 1, 10), procedure.Data.ProcedureDate);
        Assert.Equal("05012345678900", procedure.Data.Device.UdiDi);
        Assert.Equal(NhsNumber.Parse(EventSamples.ValidNhsNumber), procedure.NhsNumber);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Valid_outcome_and_adverse_events_are_read()
    {
        var outcome = EventSamples.Outcome().Read();
        var adverse = EventSamples.AdverseEvent().Read();

        Assert.True(outcome.IsValid, string.Join("\n", outcome.ProblemTexts()));
        Assert.True(adverse.IsValid, string.Join("\n", adverse.ProblemTexts()));
        var o = Assert.IsType<ValidatedOutcomeReported>(outcome.Event);
        Assert.Equal(0.712m, o.Data.Eq5d5lIndex);
        var a = Assert.IsType<ValidatedAdverseEventReported>(adverse.Event);
        Assert.True(a.Data.IsSerious);
        Assert.True(a.Data.IsDeviceRelated);
        Assert.Equal("2023", a.Data.ImdrfRelease);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("source")]
    [InlineData("type")]
    [InlineData("specversion")]
    public void A_missing_required_attribute_is_named(string attribute)
    {
        var envelope = EventSamples.Procedure();
        envelope.Remove(attribute);

        var result = envelope.Read();

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Path == attribute && p.Reason.StartsWith("is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("source")]
    [InlineData("type")]
    public void A_null_required_attribute_counts_as_missing(string attribute)
    {
        var envelope = EventSamples.Procedure();
        envelope[attribute] = null;

        var result = envelope.Read();

        Assert.Contains(result.Problems, p => p.Path == attribute && p.Reason.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Null_optional_attributes_are_treated_as_absent()
    {
        var envelope = EventSamples.Procedure();
        envelope["time"] = null;
        envelope["subject"] = null;
        envelope["dataschema"] = null;
        envelope["datacontenttype"] = null;

        var result = envelope.Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        Assert.Null(result.Event.Envelope.Time);
    }

    [Fact]
    public void An_attribute_of_the_wrong_json_type_is_rejected_once()
    {
        var envelope = EventSamples.Procedure();
        envelope["id"] = 42;

        var result = envelope.Read();

        var problem = Assert.Single(result.Problems, p => p.Path == "id");
        Assert.Equal("must be a JSON string, not a number", problem.Reason);
    }

    [Theory]
    [InlineData("0.3")]
    [InlineData("1.0.2")]
    [InlineData("1")]
    [InlineData("")]
    public void Only_specversion_1_0_is_accepted(string version)
    {
        var envelope = EventSamples.Procedure();
        envelope["specversion"] = version;

        Assert.Contains(envelope.Read().Problems, p => p.Path == "specversion");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("é")]
    public void A_malformed_id_is_rejected(string id)
    {
        var envelope = EventSamples.Procedure();
        envelope["id"] = id;

        Assert.Contains(envelope.Read().Problems, p => p.Path == "id");
    }

    [Fact]
    public void An_id_of_128_characters_is_accepted_and_129_is_not()
    {
        var ok = EventSamples.Procedure();
        ok["id"] = new string('x', 128);
        var tooLong = EventSamples.Procedure();
        tooLong["id"] = new string('x', 129);

        Assert.True(ok.Read().IsValid);
        Assert.Contains(tooLong.Read().Problems, p => p.Path == "id");
    }

    [Theory]
    [InlineData("/trusts/RJ1")]
    [InlineData("/trusts/RRV")]
    [InlineData("/trusts/RJ122")]
    [InlineData("/trusts/7A1")]
    public void A_source_with_a_valid_ods_code_is_accepted(string source)
    {
        var envelope = EventSamples.Procedure();
        envelope["source"] = source;

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("/trusts/", "does not end in an ODS code")]
    [InlineData("/trusts/R1", "does not end in an ODS code")]
    [InlineData("/trusts/RJ1223", "does not end in an ODS code")]
    [InlineData("/trusts/RJ1/", "does not end in an ODS code")]
    [InlineData("/trusts/RJ-1", "does not end in an ODS code")]
    [InlineData("/trusts/rj1", "must be upper case")]
    [InlineData("/trust/RJ1", "must have the form")]
    [InlineData("trusts/RJ1", "must have the form")]
    [InlineData("https://example.org/trusts/RJ1", "must have the form")]
    [InlineData("/TRUSTS/RJ1", "must have the form")]
    [InlineData("/trusts/RJ1?x=1", "does not end in an ODS code")]
    [InlineData("/trusts/RJ1 ", "does not end in an ODS code")]
    public void A_malformed_source_is_rejected_with_the_reason(string source, string reasonPart)
    {
        var envelope = EventSamples.Procedure();
        envelope["source"] = source;

        var problem = Assert.Single(envelope.Read().Problems, p => p.Path == "source");
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uk.nhs.neuromodulation.procedure-performed.v2", "version 'v2'")]
    [InlineData("uk.nhs.neuromodulation.procedure-performed.v0", "version 'v0'")]
    [InlineData("uk.nhs.neuromodulation.outcome-reported", "has no version")]
    [InlineData("uk.nhs.neuromodulation.implant.v1", "not a known event type")]
    [InlineData("com.example.thing", "not a known event type")]
    [InlineData("UK.NHS.NEUROMODULATION.PROCEDURE-PERFORMED.V1", "not a known event type")]
    public void An_unknown_type_or_version_is_rejected_with_the_reason(string type, string reasonPart)
    {
        var envelope = EventSamples.Procedure();
        envelope["type"] = type;

        var result = envelope.Read();

        var problem = Assert.Single(result.Problems, p => p.Path == "type");
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Problems, p => p.Path.StartsWith("data", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_that_does_not_match_the_type_is_rejected_as_unknown_properties()
    {
        var envelope = EventSamples.Outcome();
        envelope["type"] = SafetyEventTypes.ProcedurePerformedV1;

        var result = envelope.Read();

        Assert.Contains(result.Problems, p => p.ToString() == "data.painNrs: is not a property of procedure-performed.v1; unknown properties are rejected");
        Assert.Contains(result.Problems, p => p.ToString() == "data.nhsNumber: is required");
    }

    [Theory]
    [InlineData("2026-03-15T12:04:59Z")]
    [InlineData("2026-03-15T12:05:00Z")]
    [InlineData("2026-03-15T13:05:00+01:00")]
    [InlineData("2026-03-15T07:00:00-05:00")]
    [InlineData("2020-02-29T23:59:59.123456789Z")]
    [InlineData("2026-03-15t09:30:00z")]
    [InlineData("2026-03-15T09:30:00-00:00")]
    [InlineData("2016-12-31T23:59:60Z")]
    public void A_time_that_is_rfc_3339_and_not_in_the_future_is_accepted(string time)
    {
        var envelope = EventSamples.Procedure();
        envelope["time"] = time;

        var result = envelope.Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
    }

    [Theory]
    [InlineData("2026-03-15T12:05:01Z")]
    [InlineData("2026-03-16T00:00:00Z")]
    [InlineData("2026-03-15T12:06:00-00:01")]
    [InlineData("2027-01-01T00:00:00+14:00")]
    public void A_time_more_than_five_minutes_ahead_is_in_the_future(string time)
    {
        var envelope = EventSamples.Procedure();
        envelope["time"] = time;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("time", problem.Path);
        Assert.Contains("is in the future", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-15")]
    [InlineData("2026-03-15 09:30:00Z")]
    [InlineData("2026-03-15T09:30Z")]
    [InlineData("2026-03-15T09:30:00")]
    [InlineData("2026-03-15T09:30:00.Z")]
    [InlineData("2026-03-15T09:30:00+0100")]
    [InlineData("2026-03-15T24:00:00Z")]
    [InlineData("2026-03-15T09:60:00Z")]
    [InlineData("2025-02-29T09:30:00Z")]
    [InlineData("2026-13-01T09:30:00Z")]
    [InlineData("2026-03-15T09:30:00+24:00")]
    [InlineData("2026-03-15T12:00:60Z")]
    [InlineData("20260315T093000Z")]
    [InlineData("2026-03-15T09:30:00,5Z")]
    [InlineData(" 2026-03-15T09:30:00Z")]
    [InlineData("2026-03-15T09:30:00Z ")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2026-03-15T09:30:00\uFF10Z")]
    public void A_time_that_is_not_rfc_3339_is_rejected(string time)
    {
        var envelope = EventSamples.Procedure();
        envelope["time"] = time;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("time", problem.Path);
        Assert.Contains("RFC 3339", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=\"UTF-8\"")]
    [InlineData("application/vnd.nhs.neuromodulation+json")]
    [InlineData("application/json;")]
    [InlineData("application/json ; charset=utf-8")]
    public void A_json_datacontenttype_is_accepted(string contentType)
    {
        var envelope = EventSamples.Procedure();
        envelope["datacontenttype"] = contentType;

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("json")]
    [InlineData("")]
    [InlineData("application/json; charset = utf-8")]
    [InlineData("application/json-seq")]
    [InlineData("application /json")]
    public void A_non_json_datacontenttype_is_rejected(string contentType)
    {
        var envelope = EventSamples.Procedure();
        envelope["datacontenttype"] = contentType;

        Assert.Contains(envelope.Read().Problems, p => p.Path == "datacontenttype");
    }

    [Theory]
    [InlineData("https://example.org/schemas/procedure-performed.v1.json", true)]
    [InlineData("urn:uk-nhs-neuromodulation:schema:procedure-performed.v1", true)]
    [InlineData("/schemas/procedure.json", false)]
    [InlineData("", false)]
    [InlineData("not a uri", false)]
    public void Dataschema_must_be_an_absolute_uri(string dataschema, bool accepted)
    {
        var envelope = EventSamples.Procedure();
        envelope["dataschema"] = dataschema;

        var result = envelope.Read();

        Assert.Equal(accepted, result.IsValid);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("line\nbreak", "control character")]
    [InlineData("\uFDD0", "noncharacter")]
    [InlineData("\uFFFF", "noncharacter")]
    [InlineData("patient 943 476 5919", "NHS number")]
    [InlineData("9434765919", "NHS number")]
    public void A_subject_that_breaks_the_cloudevents_string_rules_or_holds_an_nhs_number_is_rejected(string subject, string reasonPart)
    {
        var envelope = EventSamples.Procedure();
        envelope["subject"] = subject;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("subject", problem.Path);
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("943", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Extension_attributes_with_valid_names_and_scalar_values_are_kept_in_canonical_form()
    {
        var envelope = EventSamples.Procedure();
        envelope["partitionkey"] = "RJ1";
        envelope["sequence"] = 42;
        envelope["replay"] = false;
        envelope["dataclassification"] = "confidential";
        envelope["ignoredwhennull"] = null;

        var result = envelope.Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
        var extensions = result.Event.Envelope.Extensions;
        Assert.Equal("RJ1", extensions["partitionkey"]);
        Assert.Equal("42", extensions["sequence"]);
        Assert.Equal("false", extensions["replay"]);
        Assert.False(extensions.ContainsKey("ignoredwhennull"));
    }

    [Fact]
    public void String_attributes_are_limited_to_2048_characters()
    {
        var ok = EventSamples.Procedure();
        ok["note"] = new string('n', 2048);
        var tooLong = EventSamples.Procedure();
        tooLong["note"] = new string('n', 2049);

        Assert.True(ok.Read().IsValid);
        Assert.Equal("note: is 2049 characters long; the limit is 2048", Assert.Single(tooLong.Read().Problems).ToString());
    }

    [Theory]
    [InlineData("9434765919")]
    [InlineData("943-476-5919")]
    [InlineData("943 476 5919")]
    public void An_extension_value_that_is_an_nhs_number_is_rejected(string value)
    {
        var envelope = EventSamples.Procedure();
        envelope["note"] = value;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("note", problem.Path);
        Assert.Contains("NHS number", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-9434765919a902b7-01")]
    [InlineData("note", "ward 9434765919 x")]
    [InlineData("sequence", "9434765919")]
    [InlineData("sequence", "0000000011")]
    public void Extension_values_that_merely_contain_ten_digits_and_sequence_counters_are_accepted(string name, string value)
    {
        var envelope = EventSamples.Procedure();
        envelope[name] = value;

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("partitionKey")]
    [InlineData("trace_id")]
    [InlineData("trace-id")]
    [InlineData("Ä")]
    [InlineData("")]
    [InlineData("data_base64x")]
    public void An_extension_with_an_invalid_name_is_rejected(string name)
    {
        var envelope = EventSamples.Procedure();
        envelope[name] = "x";

        var result = envelope.Read();

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Reason.Contains("not a valid CloudEvents attribute name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("2147483648")]
    public void An_extension_value_that_is_not_a_cloudevents_scalar_is_rejected(string json)
    {
        var envelope = EventSamples.Procedure();
        envelope["myext"] = JsonNode.Parse(json);

        Assert.Contains(envelope.Read().Problems, p => p.Path == "myext");
    }

    [Fact]
    public void Data_base64_is_rejected_because_our_types_carry_json()
    {
        var envelope = EventSamples.Procedure();
        envelope["data_base64"] = "e30=";

        Assert.Contains(envelope.Read().Problems, p => p.Path == "data_base64");
    }

    [Theory]
    [InlineData("[]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("42", "must be a JSON object, not a number")]
    public void Data_that_is_not_an_object_is_rejected(string json, string reason)
    {
        var envelope = EventSamples.Procedure();
        envelope["data"] = JsonNode.Parse(json);

        Assert.Contains(envelope.Read().Problems, p => p.Path == "data" && p.Reason == reason);
    }

    [Fact]
    public void Missing_or_null_data_is_rejected()
    {
        var missing = EventSamples.Procedure();
        missing.Remove("data");
        var nullData = EventSamples.Procedure();
        nullData["data"] = null;

        Assert.Contains(missing.Read().Problems, p => p.Path == "data" && p.Reason.StartsWith("is required", StringComparison.Ordinal));
        Assert.Contains(nullData.Read().Problems, p => p.Path == "data" && p.Reason.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rejected_event_still_reports_its_valid_id_and_source_for_the_dead_letter_row()
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["painNrs"] = 3;

        var result = envelope.Read();

        Assert.False(result.IsValid);
        Assert.Equal("proc-0001", result.Id);
        Assert.Equal("/trusts/RJ1", result.Source);
    }

    [Fact]
    public void The_reader_instance_uses_the_injected_clock()
    {
        var envelope = EventSamples.Procedure();
        envelope["time"] = "2026-03-20T00:00:00Z";
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EventSamples.Now);
        var reader = new SafetyEventReader(clock);

        var before = reader.Read(envelope.Bytes());
        clock.Advance(TimeSpan.FromDays(5));
        var after = reader.Read(envelope.Bytes());

        Assert.Contains(before.Problems, p => p.Path == "time");
        Assert.True(after.IsValid);
    }
}
