namespace SafetySurveillance.Domain.Pseudonymisation;

/// <summary>
/// A validated NHS number. Accepted text: exactly 10 ASCII digits, or the 3-3-4 grouping with single spaces
/// (<c>943 476 5919</c>); nothing else (no hyphens, no other spacing, no surrounding white space). The
/// tenth digit must be the modulus-11 check digit: weights 10 down to 2 on the first nine digits,
/// check = 11 − (sum mod 11), where 11 means 0 and 10 means the number is invalid.
/// <para>
/// The digits never leave this type except through <see cref="Pseudonymiser"/>: <see cref="ToString"/>
/// prints a placeholder, the type has no public property and serialises to an empty JSON object.
/// </para>
/// </summary>
public sealed class NhsNumber : IEquatable<NhsNumber>
{
    /// <summary>Problem text for an NHS number found outside <c>data.nhsNumber</c>.</summary>
    internal const string NotHereReason =
        "looks like it contains an NHS number; patient identifiers are accepted only in data.nhsNumber, which is pseudonymised";

    private readonly string _digits;

    private NhsNumber(string digits) => _digits = digits;

    /// <summary>The normalised ten digits, for the pseudonymiser only.</summary>
    internal string Digits => _digits;

    /// <summary>Parses and validates; on failure <paramref name="reason"/> explains without repeating the input.</summary>
    public static bool TryParse(string? text, out NhsNumber? number, out string? reason)
    {
        number = null;
        reason = null;
        if (text is null)
        {
            reason = "is required";
            return false;
        }

        Span<char> digits = stackalloc char[10];
        if (!TryNormalise(text, digits))
        {
            reason = "must be 10 digits, written either without spaces or in the 3-3-4 grouping with single spaces";
            return false;
        }

        if (!HasValidCheckDigit(digits))
        {
            reason = "fails the NHS number modulus-11 check digit";
            return false;
        }

        number = new NhsNumber(new string(digits));
        return true;
    }

    /// <summary>Parses and validates, throwing <see cref="FormatException"/> on failure (for tests and tools).</summary>
    public static NhsNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var number, out var reason)
            ? number!
            : throw new FormatException("The NHS number " + reason + ".");
    }

    /// <summary>The modulus-11 rule on exactly ten ASCII digits.</summary>
    public static bool HasValidCheckDigit(ReadOnlySpan<char> tenDigits)
    {
        if (tenDigits.Length != 10)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            if (!char.IsAsciiDigit(tenDigits[i]))
            {
                return false;
            }

            if (i < 9)
            {
                sum += (tenDigits[i] - '0') * (10 - i);
            }
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        return check != 10 && check == tenDigits[9] - '0';
    }

    /// <summary>
    /// True when <paramref name="text"/> contains a 10-digit run (not part of a longer run of digits), or a
    /// 3-3-4 group separated by single spaces or hyphens, that passes the modulus-11 check. Used to keep
    /// identifiers out of free-text attributes.
    /// </summary>
    internal static bool LooksLikeOneInside(string text)
    {
        Span<char> digits = stackalloc char[10];
        for (var start = 0; start < text.Length; start++)
        {
            if (!char.IsAsciiDigit(text[start]) || (start > 0 && char.IsAsciiDigit(text[start - 1])))
            {
                continue;
            }

            // Plain run.
            var end = start;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - start == 10)
            {
                text.AsSpan(start, 10).CopyTo(digits);
                if (HasValidCheckDigit(digits))
                {
                    return true;
                }
            }

            // Grouped 3-3-4 with ' ' or '-'.
            if (start + 12 <= text.Length && end - start == 3)
            {
                var candidate = text.AsSpan(start, 12);
                var separator = candidate[3];
                if ((separator == ' ' || separator == '-') && candidate[7] == separator
                    && (start + 12 == text.Length || !char.IsAsciiDigit(text[start + 12])))
                {
                    var ok = true;
                    var n = 0;
                    for (var i = 0; i < 12 && ok; i++)
                    {
                        if (i is 3 or 7)
                        {
                            continue;
                        }

                        ok = char.IsAsciiDigit(candidate[i]);
                        if (ok)
                        {
                            digits[n++] = candidate[i];
                        }
                    }

                    if (ok && HasValidCheckDigit(digits))
                    {
                        return true;
                    }
                }
            }

            start = end - 1;
        }

        return false;
    }

    /// <summary>
    /// True when the whole of <paramref name="text"/> (ignoring surrounding white space) is an NHS number:
    /// 10 digits, or 3-3-4 separated by single spaces or hyphens, passing the check digit. Used for
    /// extension values, where a substring scan would reject random digits in trace ids.
    /// </summary>
    internal static bool IsOneExactly(string text)
    {
        var trimmed = text.AsSpan().Trim();
        return trimmed.Length is 10 or 12 && LooksLikeOneInside(trimmed.ToString())
            && (trimmed.Length == 10 || (trimmed[3] is ' ' or '-' && trimmed[7] == trimmed[3]));
    }

    public bool Equals(NhsNumber? other) => other is not null && string.Equals(_digits, other._digits, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as NhsNumber);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_digits);

    /// <summary>Never prints the number.</summary>
    public override string ToString() => "NhsNumber(redacted)";

    private static bool TryNormalise(string text, Span<char> digits)
    {
        if (text.Length == 10)
        {
            foreach (var c in text)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            text.AsSpan().CopyTo(digits);
            return true;
        }

        if (text.Length == 12 && text[3] == ' ' && text[7] == ' ')
        {
            var n = 0;
            for (var i = 0; i < 12; i++)
            {
                if (i is 3 or 7)
                {
                    continue;
                }

                if (!char.IsAsciiDigit(text[i]))
                {
                    return false;
                }

                digits[n++] = text[i];
            }

            return true;
        }

        return false;
    }
}
