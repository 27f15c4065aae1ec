using System.Globalization;
using System.Text.Json;

namespace SafetySurveillance.CustomHandler.Invocation;

/// <summary>
/// How the Functions host writes a value into an invocation payload (<c>GetHttpScriptInvocationContextValue</c>):
/// objects as JSON objects; <c>DateTimeOffset</c> reparsed from its <c>ToString()</c> (whole seconds) and written as an
/// ISO date; everything else (strings, numbers, arrays) through <c>JsonConvert.SerializeObject</c>, i.e. as a JSON
/// string holding JSON text — the string <c>abc</c> becomes <c>"\"abc\""</c>, the number 2 becomes <c>"2"</c>.
/// </summary>
internal static class HostEncoding
{
    /// <summary>The value as the host writes a non-object: a JSON string holding the value's JSON text.</summary>
    public static JsonElement Encoded<T>(T value) =>
        JsonSerializer.SerializeToElement(JsonSerializer.Serialize(value, CustomHandlerJson.Options), CustomHandlerJson.Options);

    /// <summary>A date as the host writes a <c>DateTimeOffset</c>: whole seconds, with its offset.</summary>
    public static JsonElement Time(DateTimeOffset value) =>
        JsonSerializer.SerializeToElement(value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture), CustomHandlerJson.Options);

    /// <summary>
    /// The text of a value the host wrote: a JSON string holding a JSON string literal is decoded once more
    /// (<c>"\"abc\""</c> → <c>abc</c>); any other string is taken as is; numbers, booleans, objects and arrays give
    /// their JSON text.
    /// </summary>
    public static string ReadText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        var text = value.GetString() ?? "";
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            try
            {
                using var inner = JsonDocument.Parse(text);
                if (inner.RootElement.ValueKind == JsonValueKind.String)
                {
                    return inner.RootElement.GetString() ?? "";
                }
            }
            catch (JsonException)
            {
                // Not JSON text after all: the string is the value.
            }
        }

        return text;
    }
}
