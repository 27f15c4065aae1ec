using System.Text;
using System.Text.RegularExpressions;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// Makes a readable preview of a rejected payload that cannot hold an NHS number: invalid UTF-8 becomes U+FFFD,
/// every run of ten digits (also in the 3-3-4 grouping with spaces or hyphens), and any longer digit run, becomes
/// <c>[redacted]</c>, and the text is cut to a maximum length.
/// </summary>
public static partial class PayloadRedaction
{
    /// <summary>The replacement text.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Returns the redacted preview of <paramref name="payload"/>.</summary>
    public static string Preview(ReadOnlySpan<byte> payload, int maxChars = 2000)
    {
        var take = payload.Length > maxChars * 4 ? payload[..(maxChars * 4)] : payload;
        var text = Encoding.UTF8.GetString(take);
        text = DigitRun().Replace(text, Redacted);
        return text.Length <= maxChars ? text : text[..maxChars] + "…";
    }

    // Ten or more digits, possibly split as 3-3-4 by one space or hyphen; also catches digits with JSON escapes removed.
    [GeneratedRegex(@"\d{3}[ -]?\d{3}[ -]?\d{4,}|\d{10,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DigitRun();
}
