using System.Text.Json;
using SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;
using SafetySurveillance.Domain.Validation;
using J = SafetySurveillance.Domain.Events.AdverseEvents.AdverseEventReportedJson;

namespace SafetySurveillance.Domain.Events.AdverseEvents;

/// <summary>Reads and validates the data of an adverse-event-reported.v1 event.</summary>
internal static class AdverseEventReportedReader
{
    private static readonly MemberSet Members = new(J.Properties);

    public static AdverseEventReported? Read(JsonElement data, string path, ReadContext context)
    {
        var before = context.Problems.Count;
        string? procedureId = null;
        DateOnly? procedureDate = null, onsetDate = null;
        List<string>? deviceCodes = null, clinicalCodes = null, impactCodes = null;
        List<SeriousnessCriterion>? criteria = null;
        Relatedness? deviceRelated = null, procedureRelated = null;
        AdverseEventAction? action = null;
        AdverseEventOutcome? outcome = null;
        bool? anticipated = null;
        var seen = new DataMembers(path, context, Members, "adverse-event-reported.v1");

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
                case J.OnsetDate:
                    onsetDate = JsonFields.PastDate(value, at, context);
                    break;
                case J.DeviceProblemCodes:
                    deviceCodes = ReadCodes(value, at, ImdrfAnnex.A, context);
                    break;
                case J.ClinicalSignCodes:
                    clinicalCodes = ReadCodes(value, at, ImdrfAnnex.E, context);
                    break;
                case J.HealthImpactCodes:
                    impactCodes = ReadCodes(value, at, ImdrfAnnex.F, context);
                    break;
                case J.SeriousnessCriteria:
                    criteria = ReadCriteria(value, at, context);
                    break;
                case J.DeviceRelatedness:
                    deviceRelated = JsonFields.Enum(value, at, context, J.Relatedness);
                    break;
                case J.ProcedureRelatedness:
                    procedureRelated = JsonFields.Enum(value, at, context, J.Relatedness);
                    break;
                case J.Action:
                    action = JsonFields.Enum(value, at, context, J.Actions);
                    break;
                case J.Outcome:
                    outcome = JsonFields.Enum(value, at, context, J.Outcomes);
                    break;
                case J.Anticipated:
                    anticipated = JsonFields.Boolean(value, at, context);
                    break;
            }
        }

        seen.RequireAll(J.Properties);
        if (procedureDate is { } procedure && onsetDate is { } onset && onset < procedure)
        {
            context.Add(
                JsonPath.Property(path, J.OnsetDate),
                $"{JsonFields.Format(onset)} is before the procedure date {JsonFields.Format(procedure)}");
        }

        return context.Problems.Count == before
            ? new AdverseEventReported(
                procedureId!,
                procedureDate!.Value,
                onsetDate!.Value,
                deviceCodes!.AsReadOnly(),
                clinicalCodes!.AsReadOnly(),
                impactCodes!.AsReadOnly(),
                ImdrfCodeList.Release,
                criteria!.AsReadOnly(),
                deviceRelated!.Value,
                procedureRelated!.Value,
                action!.Value,
                outcome!.Value,
                anticipated!.Value)
            : null;
    }

    private static List<string>? ReadCodes(JsonElement value, string path, ImdrfAnnex annex, ReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            context.Add(path, $"must be an array of IMDRF Annex {annex} codes, not {JsonFields.Describe(value.ValueKind)}");
            return null;
        }

        var count = value.GetArrayLength();
        if (count == 0)
        {
            context.Add(path, $"must contain at least one IMDRF Annex {annex} code (use the annex's 'Insufficient Information' code when unknown)");
            return null;
        }

        if (count > J.MaxCodes)
        {
            context.Add(path, $"has {count} codes; the limit is {J.MaxCodes}");
            return null;
        }

        var before = context.Problems.Count;
        var codes = new List<string>(count);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = JsonPath.Index(path, index++);
            if (item.ValueKind != JsonValueKind.String)
            {
                context.Add(at, $"must be a string IMDRF code, not {JsonFields.Describe(item.ValueKind)}");
                continue;
            }

            var code = item.GetString()!;
            if (!ImdrfCodeList.TryGet(code, out var term))
            {
                context.Add(at, $"{Echo.Quoted(code)} is not a code in IMDRF release {ImdrfCodeList.Release} Annex {annex}");
            }
            else if (term.Annex != annex)
            {
                context.Add(at, $"{code} is an Annex {term.Annex} code; this list takes Annex {annex} codes");
            }
            else if (term.Status == ImdrfTermStatus.NotSelectable)
            {
                context.Add(at, $"{code} ({term.Term}) is a grouping term that IMDRF marks not selectable; choose a more detailed code");
            }
            else if (term.Status == ImdrfTermStatus.Retired)
            {
                context.Add(at, $"{code} ({term.Term}) was retired in IMDRF release {ImdrfCodeList.Release}");
            }
            else if (codes.Contains(code))
            {
                context.Add(at, $"{code} appears more than once");
            }
            else
            {
                codes.Add(code);
            }
        }

        return context.Problems.Count == before ? codes : null;
    }

    private static List<SeriousnessCriterion>? ReadCriteria(JsonElement value, string path, ReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            context.Add(path, $"must be an array (empty when the event is not serious), not {JsonFields.Describe(value.ValueKind)}");
            return null;
        }

        if (value.GetArrayLength() > J.Criteria.Names.Count)
        {
            context.Add(path, $"has more than the {J.Criteria.Names.Count} possible criteria");
            return null;
        }

        var before = context.Problems.Count;
        var criteria = new List<SeriousnessCriterion>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = JsonPath.Index(path, index++);
            if (JsonFields.Enum(item, at, context, J.Criteria) is { } criterion)
            {
                if (criteria.Contains(criterion))
                {
                    context.Add(at, $"'{J.Criteria.NameOf(criterion)}' appears more than once");
                }
                else
                {
                    criteria.Add(criterion);
                }
            }
        }

        return context.Problems.Count == before ? criteria : null;
    }
}
