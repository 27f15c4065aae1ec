using System.Text.Json;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Validation;
using J = SafetySurveillance.Domain.Events.Outcomes.OutcomeReportedJson;

namespace SafetySurveillance.Domain.Events.Outcomes;

/// <summary>Reads and validates the data of an outcome-reported.v1 event.</summary>
internal static class OutcomeReportedReader
{
    private static readonly MemberSet Members = new(J.Properties);

    public static OutcomeReported? Read(JsonElement data, string path, ReadContext context)
    {
        var before = context.Problems.Count;
        string? procedureId = null;
        DateOnly? procedureDate = null, assessmentDate = null;
        OutcomeTimepoint? timepoint = null;
        int? pain = null, odi = null, pgic = null;
        decimal? eq5d = null;
        var seen = new DataMembers(path, context, Members, "outcome-reported.v1");

        foreach (var member in data.EnumerateObject())
        {
            var name = member.Name;
            if (!seen.TryVisit(name, out var at))
            {
                continue;
            }

            var value = member.Value;
            switch (name)
            {
                case J.ProcedureId:
                    procedureId = ProcedureReference.ReadId(value, at, context);
                    break;
                case J.ProcedureDate:
                    procedureDate = JsonFields.PastDate(value, at, context);
                    break;
                case J.Timepoint:
                    timepoint = JsonFields.Enum(value, at, context, J.Timepoints);
                    break;
                case J.AssessmentDate:
                    assessmentDate = JsonFields.PastDate(value, at, context);
                    break;
                case J.PainNrs:
                    pain = JsonFields.Integer(value, at, context, J.PainNrsMin, J.PainNrsMax);
                    break;
                case J.Odi:
                    odi = JsonFields.Integer(value, at, context, J.OdiMin, J.OdiMax);
                    break;
                case J.Eq5d5lIndex:
                    eq5d = JsonFields.Decimal(value, at, context, J.Eq5d5lIndexMin, J.Eq5d5lIndexMax, J.Eq5d5lIndexDecimals);
                    break;
                case J.Pgic:
                    pgic = JsonFields.Integer(value, at, context, J.PgicMin, J.PgicMax);
                    break;
            }
        }

        seen.RequireAll(J.Required);
        if (!J.Scores.Any(seen.Has))
        {
            context.Add(path, $"must contain at least one score: {string.Join(", ", J.Scores)}");
        }

        if (timepoint == OutcomeTimepoint.Baseline && seen.Has(J.Pgic))
        {
            context.Add(JsonPath.Property(path, J.Pgic), "is not collected at baseline (it rates change since the procedure)");
        }

        if (procedureDate is { } procedure && assessmentDate is { } assessed && timepoint is { } when)
        {
            if (when == OutcomeTimepoint.Baseline && assessed > procedure)
            {
                context.Add(
                    JsonPath.Property(path, J.AssessmentDate),
                    $"{JsonFields.Format(assessed)} is after the procedure date {JsonFields.Format(procedure)}; a baseline assessment comes before the procedure");
            }
            else if (when != OutcomeTimepoint.Baseline && assessed < procedure)
            {
                context.Add(
                    JsonPath.Property(path, J.AssessmentDate),
                    $"{JsonFields.Format(assessed)} is before the procedure date {JsonFields.Format(procedure)}");
            }
        }

        return context.Problems.Count == before
            ? new OutcomeReported(procedureId!, procedureDate!.Value, timepoint!.Value, assessmentDate!.Value, pain, odi, eq5d, pgic)
            : null;
    }
}
