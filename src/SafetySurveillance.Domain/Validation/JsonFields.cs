using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Typed reads of one JSON member with the reason written down when the value is wrong. Each method
/// returns <c>null</c> after recording a problem, so callers can carry on and report every problem.
/// </summary>
internal static class JsonFields
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    /// <summary>A non-blank string of at most <paramref name="maxLength"/> characters with no control characters.</summary>
    public static string? Text(JsonElement value, string path, ReadContext context, int maxLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            context.Add(path, $"must be a string, not {Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Add(path, "must not be empty or blank");
            return null;
        }

        if (text.Length > maxLength)
        {
            context.Add(path, string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters long; the limit is {maxLength}"));
            return null;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                context.Add(path, "must not contain control characters (tabs, line breaks, U+0000–U+001F, U+007F–U+009F)");
                return null;
            }
        }

        if (text.Trim().Length != text.Length)
        {
            context.Add(path, "must not start or end with white space");
            return null;
        }

        return text;
    }

    public static bool? Boolean(JsonElement value, string path, ReadContext context)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                context.Add(path, $"must be true or false, not {Describe(value.ValueKind)}");
                return null;
        }
    }

    /// <summary>
    /// A whole number written without a fraction or exponent (<c>5</c>, not <c>5.0</c> or <c>5e0</c>),
    /// within <paramref name="min"/>–<paramref name="max"/> inclusive.
    /// </summary>
    public static int? Integer(JsonElement value, string path, ReadContext context, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            context.Add(path, $"must be a whole number, not {Describe(value.ValueKind)}");
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.IndexOfAny("."u8) >= 0 || raw.IndexOfAny("eE"u8) >= 0)
        {
            context.Add(path, $"{Echo.Number(raw)} is not a whole number written without a decimal point or exponent");
            return null;
        }

        if (!value.TryGetInt64(out var number) || number < min || number > max)
        {
            context.Add(path, string.Create(CultureInfo.InvariantCulture, $"{Echo.Number(raw)} is outside {min}–{max}"));
            return null;
        }

        return (int)number;
    }

    /// <summary>A number within the range with at most <paramref name="maxDecimals"/> decimal places (by value).</summary>
    public static decimal? Decimal(JsonElement value, string path, ReadContext context, decimal min, decimal max, int maxDecimals)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            context.Add(path, $"must be a number, not {Describe(value.ValueKind)}");
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        var rangeText = string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");
        if (!value.TryGetDecimal(out var number))
        {
            // Too large or too precise for decimal: certainly out of range or over-precise.
            context.Add(path, $"{Echo.Number(raw)} is outside {rangeText}");
            return null;
        }

        if (number < min || number > max)
        {
            context.Add(path, $"{Echo.Number(raw)} is outside {rangeText}");
            return null;
        }

        var scale = 1m;
        for (var i = 0; i < maxDecimals; i++)
        {
            scale *= 10;
        }

        var scaled = number * scale;
        if (scaled != decimal.Truncate(scaled))
        {
            context.Add(path, string.Create(CultureInfo.InvariantCulture, $"{Echo.Number(raw)} has more than {maxDecimals} decimal places"));
            return null;
        }

        return number;
    }

    /// <summary>An RFC 3339 <c>full-date</c> (<c>YYYY-MM-DD</c>).</summary>
    public static DateOnly? Date(JsonElement value, string path, ReadContext context)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            context.Add(path, $"must be a date string YYYY-MM-DD, not {Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        if (!Rfc3339.TryParseFullDate(text, out var date))
        {
            context.Add(path, $"{Echo.Quoted(text)} is not a valid date in the form YYYY-MM-DD (RFC 3339 full-date)");
            return null;
        }

        return date;
    }

    /// <summary>A date that is neither in the future nor implausibly early.</summary>
    public static DateOnly? PastDate(JsonElement value, string path, ReadContext context)
    {
        var date = Date(value, path, context);
        if (date is not { } d)
        {
            return null;
        }

        if (d > context.LatestDate)
        {
            context.Add(path, $"{Format(d)} is in the future (today is {Format(context.LatestDate)})");
            return null;
        }

        if (d < ReadContext.EarliestDate)
        {
            context.Add(path, $"{Format(d)} is before {Format(ReadContext.EarliestDate)}, the earliest plausible date");
            return null;
        }

        return d;
    }

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One of a fixed set of strings, compared exactly (case-sensitive).</summary>
    public static T? Enum<T>(JsonElement value, string path, ReadContext context, EnumMap<T> map)
        where T : struct, System.Enum
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            context.Add(path, $"must be one of {map.Listing}, not {Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        if (map.TryGet(text, out var result))
        {
            return result;
        }

        context.Add(path, $"{Echo.Quoted(text)} is not one of {map.Listing}");
        return null;
    }
}
