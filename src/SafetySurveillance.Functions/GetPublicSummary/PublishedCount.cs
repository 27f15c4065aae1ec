using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.Functions.GetPublicSummary;

/// <summary>How a count is shown in public.</summary>
public enum PublishedCountKind
{
    /// <summary>The count itself (0, or 8 and more, or a national total).</summary>
    Exact = 0,

    /// <summary>A count of 1 to 7, shown as <c>"&lt;8"</c>.</summary>
    Small = 1,

    /// <summary>A count withheld so that no small count can be worked out by subtraction, shown as <c>"*"</c>.</summary>
    Withheld = 2,
}

/// <summary>
/// A count as published: a JSON number when shown exactly, <c>"&lt;8"</c> for 1–7, <c>"*"</c> when withheld.
/// </summary>
/// <param name="Kind">Exact, small or withheld.</param>
/// <param name="Value">The count when <see cref="Kind"/> is exact; 0 otherwise (never the hidden value).</param>
[JsonConverter(typeof(PublishedCountJsonConverter))]
public readonly record struct PublishedCount(PublishedCountKind Kind, long Value)
{
    /// <summary>The text of a small count.</summary>
    public const string SmallText = "<8";

    /// <summary>The text of a withheld count.</summary>
    public const string WithheldText = "*";

    /// <summary>A count shown as it is.</summary>
    public static PublishedCount Exact(long value) => new(PublishedCountKind.Exact, value);

    /// <summary>A count of 1–7.</summary>
    public static PublishedCount Small => new(PublishedCountKind.Small, 0);

    /// <summary>A withheld count.</summary>
    public static PublishedCount Withheld => new(PublishedCountKind.Withheld, 0);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PublishedCountKind.Small => SmallText,
        PublishedCountKind.Withheld => WithheldText,
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>Writes a <see cref="PublishedCount"/> as a number or its marker string, and reads it back.</summary>
public sealed class PublishedCountJsonConverter : JsonConverter<PublishedCount>
{
    /// <inheritdoc />
    public override PublishedCount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => PublishedCount.Exact(reader.GetInt64()),
        JsonTokenType.String when reader.GetString() == PublishedCount.SmallText => PublishedCount.Small,
        JsonTokenType.String when reader.GetString() == PublishedCount.WithheldText => PublishedCount.Withheld,
        _ => throw new JsonException($"A published count is a number, \"{PublishedCount.SmallText}\" or \"{PublishedCount.WithheldText}\"."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PublishedCount value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Kind == PublishedCountKind.Exact)
        {
            writer.WriteNumberValue(value.Value);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
