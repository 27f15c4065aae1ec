using SafetySurveillance.CustomHandler.Bindings;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>Where a trust puts its gateway key: <c>x-trust-key: &lt;key&gt;</c> or <c>Authorization: TrustKey &lt;key&gt;</c>.</summary>
public static class TrustKeyHeader
{
    /// <summary>The dedicated header.</summary>
    public const string HeaderName = "x-trust-key";

    /// <summary>The scheme in <c>Authorization</c>.</summary>
    public const string Scheme = "TrustKey";

    /// <summary>The key presented, or null when there is none.</summary>
    public static string? Read(HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HeaderValue(request, HeaderName) is { Length: > 0 } key)
        {
            return key.Trim();
        }

        var authorization = HeaderValue(request, "Authorization");
        if (authorization is not null
            && authorization.Length > Scheme.Length + 1
            && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && authorization[Scheme.Length] == ' ')
        {
            return authorization[(Scheme.Length + 1)..].Trim();
        }

        return null;
    }

    /// <summary>The first value of a header, matching its name case-insensitively (the host passes names as the client sent them).</summary>
    public static string? HeaderValue(HttpRequestData request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (header, values) in request.Headers)
        {
            if (string.Equals(header, name, StringComparison.OrdinalIgnoreCase) && values is { Length: > 0 })
            {
                return values[0];
            }
        }

        return null;
    }
}
