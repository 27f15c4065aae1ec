using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Functions.SubmitEvents;

namespace SafetySurveillance.Functions.Access;

/// <summary>What a request presents in its <c>Authorization</c> header: a bearer token, or why there is none.</summary>
/// <param name="Token">The compact JWT; null when the request has no usable bearer token.</param>
/// <param name="Problem">Why there is no token (for a 401 answer); null when there is one.</param>
public readonly record struct BearerToken(string? Token, string? Problem)
{
    /// <summary>The authorization scheme.</summary>
    public const string Scheme = "Bearer";

    /// <summary>Longest token accepted (Entra access tokens are a few kilobytes; anything far larger is refused unread).</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>
    /// Reads the bearer token of <paramref name="request"/>. A trust's gateway key (<c>x-trust-key</c> or
    /// <c>Authorization: TrustKey</c>) is never a person's credential, so a request with only that has no token.
    /// </summary>
    public static BearerToken Read(HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = new List<string>();
        foreach (var (name, values) in request.Headers)
        {
            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization.AddRange(values.Where(v => !string.IsNullOrWhiteSpace(v)));
            }
        }

        if (authorization.Count == 0)
        {
            return TrustKeyHeader.HeaderValue(request, TrustKeyHeader.HeaderName) is { Length: > 0 }
                ? new BearerToken(null, "A trust's gateway key cannot read; sign in and send Authorization: Bearer <token>.")
                : new BearerToken(null, "Sign in: this route needs Authorization: Bearer <token>.");
        }

        if (authorization.Count > 1 || authorization[0].Contains(',', StringComparison.Ordinal))
        {
            return new BearerToken(null, "Send exactly one Authorization header with one bearer token.");
        }

        string value = authorization[0].Trim();
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        string scheme = space < 0 ? value : value[..space];
        if (string.Equals(scheme, TrustKeyHeader.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new BearerToken(null, "A trust's gateway key cannot read; sign in and send Authorization: Bearer <token>.");
        }

        if (!string.Equals(scheme, Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new BearerToken(null, "Use the Bearer scheme: Authorization: Bearer <token>.");
        }

        string token = space < 0 ? "" : value[(space + 1)..].Trim();
        if (token.Length == 0)
        {
            return new BearerToken(null, "The bearer token is empty.");
        }

        return token.Length > MaxLength
            ? new BearerToken(null, "The bearer token is too long.")
            : new BearerToken(token, null);
    }
}
