using System.Globalization;
using System.Text.Json;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// Reads the members of a structured-mode CloudEvent (JSON event format 1.0). Attribute values must be JSON
/// strings, except extensions, which may also be booleans or 32-bit integers; a JSON <c>null</c> attribute is
/// treated as absent, as the format requires. <c>data</c> is returned for the typed reader;
/// <c>data_base64</c> is rejected because our types carry JSON data.
/// </summary>
internal static class StructuredEnvelope
{
    public static RawAttributes Read(JsonElement root, ReadContext context, out JsonElement? data)
    {
        var raw = new RawAttributes();
        data = null;
        foreach (var member in root.EnumerateObject())
        {
            var name = member.Name;
            var value = member.Value;
            switch (name)
            {
                case "specversion":
                    raw.SpecVersion = AttributeString(name, value, raw, context);
                    break;
                case "id":
                    raw.Id = AttributeString(name, value, raw, context);
                    break;
                case "source":
                    raw.Source = AttributeString(name, value, raw, context);
                    break;
                case "type":
                    raw.Type = AttributeString(name, value, raw, context);
                    break;
                case "datacontenttype":
                    raw.DataContentType = AttributeString(name, value, raw, context);
                    break;
                case "dataschema":
                    raw.DataSchema = AttributeString(name, value, raw, context);
                    break;
                case "subject":
                    raw.Subject = AttributeString(name, value, raw, context);
                    break;
                case "time":
                    raw.Time = AttributeString(name, value, raw, context);
                    break;
                case "data":
                    data = value;
                    break;
                case "data_base64":
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        context.Add(name, "is not accepted; send the event data as a JSON object in 'data'");
                    }

                    break;
                default:
                    Extension(name, value, raw, context);
                    break;
            }
        }

        return raw;
    }

    private static string? AttributeString(string name, JsonElement value, RawAttributes raw, ReadContext context)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                raw.AlreadyReported.Add(name);
                context.Add(name, $"must be a JSON string, not {JsonFields.Describe(value.ValueKind)}");
                return null;
        }
    }

    private static void Extension(string name, JsonElement value, RawAttributes raw, ReadContext context)
    {
        if (!CloudEventRules.IsValidAttributeName(name))
        {
            context.Add(JsonPath.Property(JsonPath.Root, name), "is not a valid CloudEvents attribute name (lower-case letters a–z and digits only)");
            return;
        }

        var path = name;

        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.String:
                raw.Extensions[name] = value.GetString()!;
                return;
            case JsonValueKind.True:
                raw.Extensions[name] = "true";
                return;
            case JsonValueKind.False:
                raw.Extensions[name] = "false";
                return;
            case JsonValueKind.Number when value.TryGetInt32(out var integer) && IsPlainInteger(value):
                raw.Extensions[name] = integer.ToString(CultureInfo.InvariantCulture);
                return;
            case JsonValueKind.Number:
                context.Add(path, "is a number but not a 32-bit integer written without a fraction or exponent (the CloudEvents Integer type)");
                return;
            default:
                context.Add(path, $"must be a string, boolean or integer, not {JsonFields.Describe(value.ValueKind)}");
                return;
        }
    }

    private static bool IsPlainInteger(JsonElement value)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        return raw.IndexOfAny(".eE"u8) < 0;
    }
}
