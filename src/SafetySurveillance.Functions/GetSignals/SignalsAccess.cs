using SafetySurveillance.CustomHandler.Bindings;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>
/// The access-control seam of the reviewer API. Bearer tokens and roles (reviewer: every trust; governance lead:
/// own trust only) are a later issue; that work replaces <see cref="OpenSignalsAccess"/> with a policy that reads
/// the <c>Authorization</c> header, denies with 401/403, or narrows the query (e.g. <c>trust:*</c> to the
/// caller's own trust).
/// </summary>
public interface ISignalsAccessPolicy
{
    /// <summary>Decides what the caller of <paramref name="request"/> may see of <paramref name="query"/>.</summary>
    ValueTask<SignalsAccess> CheckAsync(HttpRequestData request, SignalQuery query, CancellationToken cancellationToken);
}

/// <summary>The outcome of an access check: the query to run (possibly narrowed), or a denial.</summary>
/// <param name="Query">The query to run; null when denied.</param>
/// <param name="DeniedStatus">401 or 403 when denied.</param>
/// <param name="DeniedReason">Why, for the caller; never echoes a token.</param>
public sealed record SignalsAccess(SignalQuery? Query, int DeniedStatus = 0, string? DeniedReason = null)
{
    /// <summary>Runs <paramref name="query"/>.</summary>
    public static SignalsAccess Allow(SignalQuery query) => new(query ?? throw new ArgumentNullException(nameof(query)));

    /// <summary>Refuses the request.</summary>
    public static SignalsAccess Deny(int status, string reason) => new(null, status, reason);
}

/// <summary>
/// NO access control: every caller sees every row. The function is <c>authLevel: anonymous</c> until the
/// bearer-token issue lands, so deploy it only where the network already restricts callers.
/// </summary>
public sealed class OpenSignalsAccess : ISignalsAccessPolicy
{
    /// <inheritdoc />
    public ValueTask<SignalsAccess> CheckAsync(HttpRequestData request, SignalQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SignalsAccess.Allow(query));
}
