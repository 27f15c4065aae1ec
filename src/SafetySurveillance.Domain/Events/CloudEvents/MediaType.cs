namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// Minimal RFC 9110 media-type reading: <c>type/subtype *( OWS ";" OWS [ name=value ] )</c>, case-insensitive type,
/// subtype and parameter names, optional quoted values. Only what the reader needs.
/// </summary>
internal static class MediaType
{
    public static bool TryParse(string text, out string essence, out string? charset)
    {
        essence = string.Empty;
        charset = null;
        var parts = text.Split(';');
        var head = parts[0].Trim(' ', '\t');
        var slash = head.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == head.Length - 1 || !IsToken(head.AsSpan(0, slash)) || !IsToken(head.AsSpan(slash + 1)))
        {
            return false;
        }

        essence = head.ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            var parameter = parts[i].Trim(' ', '\t');
            if (parameter.Length == 0)
            {
                // RFC 9110 §5.6.6 allows empty parameters: "text/plain;;charset=utf-8".
                continue;
            }

            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsToken(parameter.AsSpan(0, equals)))
            {
                return false;
            }

            var value = parameter[(equals + 1)..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            if (parameter.AsSpan(0, equals).Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                charset = value;
            }
        }

        return true;
    }

    /// <summary><c>application/json</c> or a <c>+json</c> structured-syntax suffix (RFC 6839), UTF-8 if a charset is named.</summary>
    public static bool IsJson(string essence, string? charset) =>
        (essence == "application/json" || (essence.StartsWith("application/", StringComparison.Ordinal) && essence.EndsWith("+json", StringComparison.Ordinal)))
        && IsUtf8(charset);

    public static bool IsUtf8(string? charset) =>
        charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c <= ' ' || c >= '\u007f' || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
