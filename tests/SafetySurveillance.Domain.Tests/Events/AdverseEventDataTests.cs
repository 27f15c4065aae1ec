using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

public sealed class AdverseEventDataTests
{
    [Fact]
    public void Every_adverse_event_property_is_required()
    {
        foreach (var property in AdverseEventReportedJson.Properties)
        {
            var envelope = EventSamples.AdverseEvent();
            envelope.Data().Remove(property);

            Assert.Equal($"data.{property}: is required", Assert.Single(envelope.Read().Problems).ToString());
        }
    }

    [Theory]
    [InlineData("deviceProblemCodes", "A040101")]
    [InlineData("deviceProblemCodes", "A051201")]
    [InlineData("deviceProblemCodes", "A071301")]
    [InlineData("deviceProblemCodes", "A24")]
    [InlineData("clinicalSignCodes", "E2115")]
    [InlineData("clinicalSignCodes", "E1713")]
    [InlineData("clinicalSignCodes", "E2403")]
    [InlineData("healthImpactCodes", "F1903")]
    [InlineData("healthImpactCodes", "F25")]
    [InlineData("healthImpactCodes", "F26")]
    public void Codes_for_the_nice_safety_outcomes_are_accepted(string property, string code)
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()[property] = new JsonArray(code);

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("deviceProblemCodes", "A999999", "'A999999' is not a code in IMDRF release 2023 Annex A")]
    [InlineData("deviceProblemCodes", "a040101", "'a040101' is not a code in IMDRF release 2023 Annex A")]
    [InlineData("deviceProblemCodes", "E2109", "E2109 is an Annex E code; this list takes Annex A codes")]
    [InlineData("clinicalSignCodes", "F1905", "F1905 is an Annex F code; this list takes Annex E codes")]
    [InlineData("clinicalSignCodes", "E19", "E19 (Infections) is a grouping term that IMDRF marks not selectable; choose a more detailed code")]
    [InlineData("deviceProblemCodes", "A071205", "was retired in IMDRF release 2023")]
    [InlineData("healthImpactCodes", " F25", "is not a code in IMDRF release 2023 Annex F")]
    public void Unknown_misplaced_grouping_or_retired_codes_are_rejected(string property, string code, string reasonPart)
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()[property] = new JsonArray("A24", code);
        if (property != "deviceProblemCodes")
        {
            envelope.Data()[property] = new JsonArray(code);
        }

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.StartsWith($"data.{property}[", problem.Path, StringComparison.Ordinal);
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_path_of_a_bad_code_points_at_its_index()
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["healthImpactCodes"] = new JsonArray("F1905", "F1903", "F99");

        Assert.Equal("data.healthImpactCodes[2]", Assert.Single(envelope.Read().Problems).Path);
    }

    [Theory]
    [InlineData("[]", "must contain at least one IMDRF Annex A code (use the annex's 'Insufficient Information' code when unknown)")]
    [InlineData("[\"A24\",\"A24\"]", "A24 appears more than once")]
    [InlineData("\"A24\"", "must be an array of IMDRF Annex A codes, not a string")]
    [InlineData("[24]", "must be a string IMDRF code, not a number")]
    public void Code_lists_must_be_non_empty_arrays_of_distinct_strings(string json, string reason)
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["deviceProblemCodes"] = JsonNode.Parse(json);

        Assert.Equal(reason, Assert.Single(envelope.Read().Problems).Reason);
    }

    [Fact]
    public void More_than_twenty_codes_are_rejected()
    {
        var codes = ImdrfCodeList.SelectableCodes(ImdrfAnnex.A).Take(21).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray();
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["deviceProblemCodes"] = new JsonArray(codes);

        Assert.Equal("has 21 codes; the limit is 20", Assert.Single(envelope.Read().Problems).Reason);
    }

    [Fact]
    public void An_onset_before_the_procedure_is_rejected_and_on_the_same_day_accepted()
    {
        var before = EventSamples.AdverseEvent();
        before.Data()["onsetDate"] = "2025-08-31";
        var sameDay = EventSamples.AdverseEvent();
        sameDay.Data()["onsetDate"] = "2025-09-01";

        Assert.Equal("data.onsetDate: 2025-08-31 is before the procedure date 2025-09-01", Assert.Single(before.Read().Problems).ToString());
        Assert.True(sameDay.Read().IsValid);
    }

    [Fact]
    public void An_onset_in_the_future_is_rejected()
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["onsetDate"] = "2026-04-01";

        Assert.Equal("data.onsetDate: 2026-04-01 is in the future (today is 2026-03-15)", Assert.Single(envelope.Read().Problems).ToString());
    }

    [Fact]
    public void No_seriousness_criteria_means_not_serious()
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["seriousnessCriteria"] = new JsonArray();

        var adverse = Assert.IsType<ValidatedAdverseEventReported>(envelope.Read().Event);
        Assert.False(adverse.Data.IsSerious);
    }

    [Theory]
    [InlineData("[\"death\",\"death\"]", "'death' appears more than once")]
    [InlineData("[\"fatal\"]", "'fatal' is not one of")]
    [InlineData("[\"death\",\"life-threatening\",\"hospitalisation\",\"disability\",\"intervention\",\"death\"]", "has more than the 5 possible criteria")]
    [InlineData("\"death\"", "must be an array")]
    public void Seriousness_criteria_must_be_distinct_known_values(string json, string reasonPart)
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()["seriousnessCriteria"] = JsonNode.Parse(json);

        Assert.Contains(reasonPart, Assert.Single(envelope.Read().Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_enumerated_value_in_the_contract_is_accepted()
    {
        foreach (var action in AdverseEventReportedJson.Actions.Names)
        {
            foreach (var outcome in AdverseEventReportedJson.Outcomes.Names)
            {
                foreach (var related in AdverseEventReportedJson.Relatedness.Names)
                {
                    var envelope = EventSamples.AdverseEvent();
                    envelope.Data()["action"] = action;
                    envelope.Data()["outcome"] = outcome;
                    envelope.Data()["deviceRelatedness"] = related;
                    envelope.Data()["procedureRelatedness"] = related;
                    Assert.True(envelope.Read().IsValid, $"{action} {outcome} {related}");
                }
            }
        }
    }

    [Theory]
    [InlineData("action", "removal")]
    [InlineData("outcome", "died")]
    [InlineData("deviceRelatedness", "related")]
    [InlineData("procedureRelatedness", "Possible")]
    public void Unknown_enumerated_values_are_rejected(string property, string value)
    {
        var envelope = EventSamples.AdverseEvent();
        envelope.Data()[property] = value;

        Assert.Equal("data." + property, Assert.Single(envelope.Read().Problems).Path);
    }

    [Fact]
    public void The_code_list_holds_the_three_annexes_of_the_2023_release()
    {
        Assert.Equal("2023", ImdrfCodeList.Release);
        Assert.Equal(481, ImdrfCodeList.SelectableCodes(ImdrfAnnex.A).Count);
        Assert.Equal(695, ImdrfCodeList.SelectableCodes(ImdrfAnnex.E).Count);
        Assert.Equal(67, ImdrfCodeList.SelectableCodes(ImdrfAnnex.F).Count);
        Assert.True(ImdrfCodeList.TryGet("A040101", out var fracture));
        Assert.Equal("Fracture", fracture.Term);
        Assert.True(ImdrfCodeList.TryGet("E2109", out var pain));
        Assert.Equal("Implant Pain", pain.Term);
    }
}
