using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>
/// Writes drafts as CloudEvents 1.0 structured JSON, compact, members in a fixed order, using the domain's
/// JSON names so the simulator cannot drift from the contract.
/// </summary>
internal static class CloudEventWriter
{
    private const string DataContentType = "application/json";

    public static string TypeOf(EventDraft draft) => draft switch
    {
        ProcedureDraft => SafetyEventTypes.ProcedurePerformedV1,
        OutcomeDraft => SafetyEventTypes.OutcomeReportedV1,
        AdverseEventDraft => SafetyEventTypes.AdverseEventReportedV1,
        _ => throw new ArgumentOutOfRangeException(nameof(draft)),
    };

    public static byte[] Write(EventDraft draft, string source, string? typeOverride = null)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", draft.Id);
            writer.WriteString("source", source);
            writer.WriteString("type", typeOverride ?? TypeOf(draft));
            writer.WriteString("time", draft.ReportedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("datacontenttype", DataContentType);
            writer.WritePropertyName("data");
            switch (draft)
            {
                case ProcedureDraft p:
                    WriteData(writer, p);
                    break;
                case OutcomeDraft o:
                    WriteData(writer, o);
                    break;
                case AdverseEventDraft a:
                    WriteData(writer, a);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(draft));
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteData(Utf8JsonWriter w, ProcedureDraft p)
    {
        w.WriteStartObject();
        w.WriteString(ProcedurePerformedJson.ProcedureCode, p.ProcedureCode);
        w.WriteString(ProcedurePerformedJson.ProcedureDate, Date(p.ProcedureDate));
        w.WriteStartObject(ProcedurePerformedJson.Device);
        w.WriteString(ProcedurePerformedJson.DeviceManufacturer, p.Device.Manufacturer);
        w.WriteString(ProcedurePerformedJson.DeviceModel, p.Device.Model);
        w.WriteString(ProcedurePerformedJson.DeviceUdiDi, p.Device.UdiDi);
        w.WriteEndObject();
        w.WriteBoolean(ProcedurePerformedJson.MdtSelection, p.MdtSelection);
        w.WriteBoolean(ProcedurePerformedJson.WrittenInformationGiven, p.WrittenInformationGiven);
        w.WriteBoolean(ProcedurePerformedJson.RegistryEntryMade, p.RegistryEntryMade);
        w.WriteString(ProcedurePerformedJson.AgeBand, ProcedurePerformedJson.AgeBands.NameOf(p.AgeBand));
        w.WriteString(ProcedurePerformedJson.Sex, ProcedurePerformedJson.Sexes.NameOf(p.Sex));
        w.WriteString(ProcedurePerformedJson.NhsNumber, p.NhsNumber);
        w.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter w, OutcomeDraft o)
    {
        w.WriteStartObject();
        w.WriteString(OutcomeReportedJson.ProcedureId, o.ProcedureId);
        w.WriteString(OutcomeReportedJson.ProcedureDate, Date(o.ProcedureDate));
        w.WriteString(OutcomeReportedJson.Timepoint, OutcomeReportedJson.Timepoints.NameOf(o.Timepoint));
        w.WriteString(OutcomeReportedJson.AssessmentDate, Date(o.AssessmentDate));
        if (o.PainNrs is { } pain)
        {
            w.WriteNumber(OutcomeReportedJson.PainNrs, pain);
        }

        if (o.Odi is { } odi)
        {
            w.WriteNumber(OutcomeReportedJson.Odi, odi);
        }

        if (o.Eq5d5lIndex is { } eq5d)
        {
            w.WriteNumber(OutcomeReportedJson.Eq5d5lIndex, eq5d);
        }

        if (o.Pgic is { } pgic)
        {
            w.WriteNumber(OutcomeReportedJson.Pgic, pgic);
        }

        w.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter w, AdverseEventDraft a)
    {
        w.WriteStartObject();
        w.WriteString(AdverseEventReportedJson.ProcedureId, a.ProcedureId);
        w.WriteString(AdverseEventReportedJson.ProcedureDate, Date(a.ProcedureDate));
        w.WriteString(AdverseEventReportedJson.OnsetDate, Date(a.OnsetDate));
        Codes(w, AdverseEventReportedJson.DeviceProblemCodes, a.DeviceProblemCodes);
        Codes(w, AdverseEventReportedJson.ClinicalSignCodes, a.ClinicalSignCodes);
        Codes(w, AdverseEventReportedJson.HealthImpactCodes, a.HealthImpactCodes);
        w.WriteStartArray(AdverseEventReportedJson.SeriousnessCriteria);
        foreach (var criterion in a.SeriousnessCriteria)
        {
            w.WriteStringValue(AdverseEventReportedJson.Criteria.NameOf(criterion));
        }

        w.WriteEndArray();
        w.WriteString(AdverseEventReportedJson.DeviceRelatedness, AdverseEventReportedJson.Relatedness.NameOf(a.DeviceRelatedness));
        w.WriteString(AdverseEventReportedJson.ProcedureRelatedness, AdverseEventReportedJson.Relatedness.NameOf(a.ProcedureRelatedness));
        w.WriteString(AdverseEventReportedJson.Action, AdverseEventReportedJson.Actions.NameOf(a.Action));
        w.WriteString(AdverseEventReportedJson.Outcome, AdverseEventReportedJson.Outcomes.NameOf(a.Outcome));
        w.WriteBoolean(AdverseEventReportedJson.Anticipated, a.Anticipated);
        w.WriteEndObject();
    }

    private static void Codes(Utf8JsonWriter w, string name, IReadOnlyList<string> codes)
    {
        w.WriteStartArray(name);
        foreach (var code in codes)
        {
            w.WriteStringValue(code);
        }

        w.WriteEndArray();
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
