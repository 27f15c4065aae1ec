namespace SafetySurveillance.Domain.Events.Procedures;

/// <summary>
/// UDI device identifiers (UDI-DI) as we accept them: a GS1 GTIN of 8, 12, 13 or 14 digits whose last
/// digit is the GS1 modulo-10 check digit, or an HIBCC primary data identifier: '+', a four-character
/// labeler code starting with a letter, a 1–18 character product code and a one-digit unit of measure,
/// all upper-case letters and digits. ICCBBA identifiers are not accepted (they contain '/', which
/// cannot appear in our storage keys).
/// </summary>
public static class UdiDi
{
    /// <summary>The same rule without the check digit, for the JSON Schemas.</summary>
    public const string Pattern = "^([0-9]{8}|[0-9]{12,14}|\\+[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9])$";

    public static bool IsValid(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '+')
        {
            return IsHibcc(text);
        }

        return text.Length is 8 or 12 or 13 or 14 && HasGs1CheckDigit(text);
    }

    /// <summary>GS1 modulo 10: from the right, excluding the check digit, weights 3,1,3,1…; check = (10 − sum mod 10) mod 10.</summary>
    public static bool HasGs1CheckDigit(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var weight = 3;
        for (var i = digits.Length - 2; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return false;
            }

            sum += (digits[i] - '0') * weight;
            weight = 4 - weight;
        }

        var last = digits[^1];
        return char.IsAsciiDigit(last) && (10 - (sum % 10)) % 10 == last - '0';
    }

    private static bool IsHibcc(string text)
    {
        // '+' LIC(4, first a letter) PCN(1..18) UoM(1 digit)
        if (text.Length is < 7 or > 24 || !char.IsAsciiLetterUpper(text[1]) || !char.IsAsciiDigit(text[^1]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!char.IsAsciiLetterUpper(text[i]) && !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
