using System.Text.Json;
using SafetySurveillance.Domain.Pseudonymisation;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>
/// The optional body of acknowledge and resolve: <c>{"note": "..."}</c>. A note is free text kept on the alert, so it is
/// bounded and refused when it holds what looks like an NHS number (ten digits, spaced or not, that pass the
/// modulus-11 check): alerts carry no patient-identifiable data.
/// </summary>
public static class AlertNote
{
    /// <summary>The longest note kept.</summary>
    public const int MaxLength = 2000;

    /// <summary>Reads the body; false with a reason when it is not acceptable. No body, or no note, gives a null note.</summary>
    public static bool TryRead(string? body, out string? note, out string? problem)
    {
        note = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "The body must be a JSON object such as {\"note\": \"...\"}.";
                return false;
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!string.Equals(property.Name, "note", StringComparison.Ordinal))
                {
                    problem = $"Unknown property '{property.Name}'; the body may hold only \"note\".";
                    return false;
                }

                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    problem = "\"note\" must be a string.";
                    return false;
                }

                note = property.Value.GetString()!.Trim();
            }
        }
        catch (JsonException)
        {
            problem = "The body is not valid JSON.";
            return false;
        }

        if (note is { Length: 0 })
        {
            note = null;
        }

        if (note is { Length: > MaxLength })
        {
            problem = $"The note may hold at most {MaxLength} characters.";
            note = null;
            return false;
        }

        if (note is not null && ContainsNhsNumber(note))
        {
            problem = "The note seems to hold an NHS number; alerts must not carry patient-identifiable data.";
            note = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds exactly ten digits in a row (groups may be joined by single spaces or
    /// hyphens, as in 943 476 5919) that pass the NHS number check digit.
    /// </summary>
    public static bool ContainsNhsNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<char> digits = stackalloc char[10];
        for (int start = 0; start < text.Length; start++)
        {
            if (!char.IsAsciiDigit(text[start]) || (start > 0 && char.IsAsciiDigit(text[start - 1])))
            {
                continue;
            }

            int count = 0;
            int end = start;
            for (int i = start; i < text.Length && count < 10; i++)
            {
                end = i + 1;
                char c = text[i];
                if (char.IsAsciiDigit(c))
                {
                    digits[count++] = c;
                }
                else if ((c == ' ' || c == '-') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && i > start)
                {
                    continue;
                }
                else
                {
                    break;
                }
            }

            bool runEnds = end >= text.Length || !char.IsAsciiDigit(text[end]);
            if (count == 10 && runEnds && NhsNumber.HasValidCheckDigit(digits))
            {
                return true;
            }
        }

        return false;
    }
}
