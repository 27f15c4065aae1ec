using SafetySurveillance.CustomHandler.Bindings;

namespace SafetySurveillance.Functions.Access;

/// <summary>What a signed-in person may do.</summary>
public enum CallerRole
{
    /// <summary>National safety reviewer: every trust.</summary>
    Reviewer = 1,

    /// <summary>A trust's clinical-governance lead: own trust only (plus national comparisons).</summary>
    GovernanceLead = 2,
}

/// <summary>A signed-in person, as their validated bearer token says.</summary>
/// <param name="Subject">The token's subject (stable per person); recorded as "who" on alert actions.</param>
/// <param name="DisplayName">A name to show, from the token (falls back to the subject).</param>
/// <param name="Role">Reviewer or governance lead.</param>
/// <param name="TrustOds">The governance lead's trust (ODS code); null for reviewers.</param>
public sealed record Caller(string Subject, string DisplayName, CallerRole Role, string? TrustOds)
{
    /// <summary>Whether this caller may see figures of <paramref name="trustOds"/>.</summary>
    public bool MaySeeTrust(string trustOds) =>
        Role == CallerRole.Reviewer || string.Equals(TrustOds, trustOds, StringComparison.Ordinal);
}

/// <summary>The outcome of authenticating a request: the caller, or a denial (401 no/invalid token, 403 no usable role).</summary>
/// <param name="Caller">The caller; null when denied.</param>
/// <param name="DeniedStatus">401 or 403 when denied.</param>
/// <param name="DeniedReason">Why, for the caller; never echoes the token.</param>
public sealed record Authentication(Caller? Caller, int DeniedStatus = 0, string? DeniedReason = null)
{
    /// <summary>The request is from <paramref name="caller"/>.</summary>
    public static Authentication Allow(Caller caller) => new(caller ?? throw new ArgumentNullException(nameof(caller)));

    /// <summary>The request is refused.</summary>
    public static Authentication Deny(int status, string reason) => new(null, status, reason);
}

/// <summary>
/// Reads the <c>Authorization: Bearer</c> header of an HTTP-trigger request and says who is calling. Every API
/// route except health and the public summary asks this first; the answer is a <see cref="Caller"/> or a
/// 401/403 denial to return as is.
/// </summary>
public interface ICallerAuthenticator
{
    /// <summary>Authenticates <paramref name="request"/>.</summary>
    ValueTask<Authentication> AuthenticateAsync(HttpRequestData request, CancellationToken cancellationToken);
}
