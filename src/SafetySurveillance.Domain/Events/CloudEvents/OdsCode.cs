namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// NHS Organisation Data Service codes as we accept them in <c>source</c> = <c>/trusts/{code}</c>:
/// 3 to 5 characters, each an upper-case letter A–Z or a digit 0–9 (trusts are 3 characters such as
/// <c>RJ1</c>; sites are 5 such as <c>RJ122</c>). Lower case is rejected, not upper-cased, because the
/// source must equal the Event Hubs publisher the trust sends as, byte for byte.
/// </summary>
public static class OdsCode
{
    public const string SourcePrefix = "/trusts/";

    public const int MinLength = 3;
    public const int MaxLength = 5;

    /// <summary>The same rule as a regular expression, used in the JSON Schemas.</summary>
    public const string SourcePattern = "^/trusts/[A-Z0-9]{3,5}$";

    public static bool IsValid(ReadOnlySpan<char> code)
    {
        if (code.Length is < MinLength or > MaxLength)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the ODS code out of a <c>source</c>, or says what is wrong with it.</summary>
    public static bool TryParseSource(string source, out string code, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        code = string.Empty;
        reason = null;
        if (!source.StartsWith(SourcePrefix, StringComparison.Ordinal))
        {
            reason = $"{Validation.Echo.Quoted(source)} must have the form '/trusts/{{ODS code}}', e.g. '/trusts/RJ1'";
            return false;
        }

        var candidate = source.AsSpan(SourcePrefix.Length);
        if (IsValid(candidate))
        {
            code = candidate.ToString();
            return true;
        }

        var upper = candidate.ToString().ToUpperInvariant();
        reason = upper != candidate.ToString() && IsValid(upper)
            ? $"the ODS code must be upper case ('/trusts/{upper}')"
            : $"{Validation.Echo.Quoted(source)} does not end in an ODS code of 3–5 upper-case letters or digits, e.g. '/trusts/RJ1'";
        return false;
    }
}
