using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

public sealed class OutcomeDataTests
{
    [Theory]
    [InlineData("painNrs", "0")]
    [InlineData("painNrs", "10")]
    [InlineData("odi", "0")]
    [InlineData("odi", "100")]
    [InlineData("pgic", "1")]
    [InlineData("pgic", "7")]
    [InlineData("eq5d5lIndex", "-0.594")]
    [InlineData("eq5d5lIndex", "1")]
    [InlineData("eq5d5lIndex", "1.000")]
    [InlineData("eq5d5lIndex", "0")]
    [InlineData("eq5d5lIndex", "-0")]
    [InlineData("eq5d5lIndex", "0.5")]
    [InlineData("eq5d5lIndex", "0.7120")]
    [InlineData("eq5d5lIndex", "7.12e-1")]
    [InlineData("painNrs", "-0")]
    public void Scores_on_the_edges_of_their_ranges_are_accepted(string property, string json)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()[property] = JsonNode.Parse(json);

        var result = envelope.Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
    }

    [Theory]
    [InlineData("painNrs", "11", "data.painNrs: 11 is outside 0–10")]
    [InlineData("painNrs", "-1", "data.painNrs: -1 is outside 0–10")]
    [InlineData("odi", "101", "data.odi: 101 is outside 0–100")]
    [InlineData("odi", "-1", "data.odi: -1 is outside 0–100")]
    [InlineData("pgic", "0", "data.pgic: 0 is outside 1–7")]
    [InlineData("pgic", "8", "data.pgic: 8 is outside 1–7")]
    [InlineData("eq5d5lIndex", "-0.595", "data.eq5d5lIndex: -0.595 is outside -0.594–1")]
    [InlineData("eq5d5lIndex", "1.001", "data.eq5d5lIndex: 1.001 is outside -0.594–1")]
    [InlineData("eq5d5lIndex", "0.7125", "data.eq5d5lIndex: 0.7125 has more than 3 decimal places")]
    [InlineData("painNrs", "4.5", "data.painNrs: 4.5 is not a whole number written without a decimal point or exponent")]
    [InlineData("painNrs", "4.0", "data.painNrs: 4.0 is not a whole number written without a decimal point or exponent")]
    [InlineData("odi", "1e1", "data.odi: 1e1 is not a whole number written without a decimal point or exponent")]
    [InlineData("painNrs", "\"4\"", "data.painNrs: must be a whole number, not a string")]
    [InlineData("painNrs", "null", "data.painNrs: must be a whole number, not null")]
    [InlineData("painNrs", "true", "data.painNrs: must be a whole number, not a boolean")]
    [InlineData("eq5d5lIndex", "\"0.5\"", "data.eq5d5lIndex: must be a number, not a string")]
    [InlineData("painNrs", "99999999999999999999", "data.painNrs: the value is outside 0–10")]
    [InlineData("eq5d5lIndex", "1e400", "data.eq5d5lIndex: 1e400 is outside -0.594–1")]
    public void Out_of_range_or_mistyped_scores_are_rejected_with_a_plain_reason(string property, string json, string expected)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()[property] = JsonNode.Parse(json);

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal(expected, problem.ToString());
    }

    [Fact]
    public void Scores_are_optional_but_at_least_one_is_required()
    {
        var onlyPain = EventSamples.Outcome();
        foreach (var name in new[] { "odi", "eq5d5lIndex", "pgic" })
        {
            onlyPain.Data().Remove(name);
        }

        var none = EventSamples.Outcome();
        foreach (var name in new[] { "painNrs", "odi", "eq5d5lIndex", "pgic" })
        {
            none.Data().Remove(name);
        }

        var result = onlyPain.Read();
        Assert.True(result.IsValid);
        var outcome = Assert.IsType<ValidatedOutcomeReported>(result.Event);
        Assert.Null(outcome.Data.Odi);
        Assert.Equal("data: must contain at least one score: painNrs, odi, eq5d5lIndex, pgic", Assert.Single(none.Read().Problems).ToString());
    }

    [Theory]
    [InlineData("procedureId")]
    [InlineData("procedureDate")]
    [InlineData("timepoint")]
    [InlineData("assessmentDate")]
    public void The_procedure_reference_timepoint_and_assessment_date_are_required(string property)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data().Remove(property);

        Assert.Contains($"data.{property}: is required", envelope.Read().ProblemTexts());
    }

    [Fact]
    public void A_follow_up_assessment_before_the_procedure_is_rejected()
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["assessmentDate"] = "2025-08-31";

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.assessmentDate: 2025-08-31 is before the procedure date 2025-09-01", problem.ToString());
    }

    [Fact]
    public void A_follow_up_assessment_on_the_procedure_date_is_accepted()
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["assessmentDate"] = "2025-09-01";

        Assert.True(envelope.Read().IsValid);
    }

    [Fact]
    public void A_baseline_assessment_comes_on_or_before_the_procedure_and_has_no_pgic()
    {
        var baseline = EventSamples.Outcome();
        baseline.Data()["timepoint"] = "baseline";
        baseline.Data()["assessmentDate"] = "2025-08-15";
        baseline.Data().Remove("pgic");

        var late = EventSamples.Outcome();
        late.Data()["timepoint"] = "baseline";
        late.Data()["assessmentDate"] = "2025-09-02";
        late.Data().Remove("pgic");

        var withPgic = EventSamples.Outcome();
        withPgic.Data()["timepoint"] = "baseline";
        withPgic.Data()["assessmentDate"] = "2025-09-01";

        Assert.True(baseline.Read().IsValid);
        Assert.Equal(
            "data.assessmentDate: 2025-09-02 is after the procedure date 2025-09-01; a baseline assessment comes before the procedure",
            Assert.Single(late.Read().Problems).ToString());
        Assert.Equal(
            "data.pgic: is not collected at baseline (it rates change since the procedure)",
            Assert.Single(withPgic.Read().Problems).ToString());
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("3-months")]
    [InlineData("6-months")]
    [InlineData("12-months")]
    [InlineData("24-months")]
    public void Every_timepoint_is_accepted(string timepoint)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["timepoint"] = timepoint;
        if (timepoint == "baseline")
        {
            envelope.Data().Remove("pgic");
            envelope.Data()["assessmentDate"] = "2025-09-01";
        }

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("3m")]
    [InlineData("36-months")]
    [InlineData("Baseline")]
    public void An_unknown_timepoint_is_rejected(string timepoint)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["timepoint"] = timepoint;

        Assert.Contains(envelope.Read().Problems, p => p.Path == "data.timepoint");
    }

    [Fact]
    public void An_assessment_in_the_future_is_rejected()
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["assessmentDate"] = "2026-03-16";

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.assessmentDate: 2026-03-16 is in the future (today is 2026-03-15)", problem.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("x/y")]
    public void A_malformed_procedure_id_is_rejected(string procedureId)
    {
        var envelope = EventSamples.Outcome();
        envelope.Data()["procedureId"] = procedureId;

        Assert.Single(envelope.Read().Problems, p => p.Path == "data.procedureId");
    }
}
