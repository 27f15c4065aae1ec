using System.Text.Json;

namespace SafetySurveillance.CustomHandler.Invocation;

/// <summary>
/// The host serialises arrays, strings and primitives with <c>JsonConvert.SerializeObject</c> before it puts them in
/// the payload, so an array can arrive as a JSON string that holds the array. Handlers must accept both forms.
/// </summary>
public static class HostJsonValue
{
    /// <summary>If <paramref name="value"/> is a string holding a JSON array or object, returns the parsed value; otherwise the value itself.</summary>
    public static JsonElement Unwrap(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return value;
        }

        var first = text.AsSpan().TrimStart();
        if (first.IsEmpty || (first[0] != '[' && first[0] != '{'))
        {
            return value;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return value;
        }
    }
}
