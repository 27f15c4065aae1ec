using System.Text.Json;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events;

/// <summary>How outcome and adverse-event data point at their procedure-performed event.</summary>
internal static class ProcedureReference
{
    /// <summary>A procedure id follows the same rule as a CloudEvents id, because it is one.</summary>
    public static string? ReadId(JsonElement value, string path, ReadContext context)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            context.Add(path, $"must be a string (the id of the procedure-performed event), not {JsonFields.Describe(value.ValueKind)}");
            return null;
        }

        var id = value.GetString()!;
        if (!CloudEventRules.IsValidId(id))
        {
            context.Add(path, $"must be the id of the procedure-performed event: 1–{CloudEventRules.MaxIdLength} printable ASCII characters without spaces, '/', '\\', '#' or '?'");
            return null;
        }

        return id;
    }
}
