using Microsoft.AspNetCore.Http;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>
/// The access-control seam of the reviewer API: reads who is calling, then allows, narrows or refuses the query.
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
/// Role-based access to signal rows. The caller comes from <see cref="ICallerAuthenticator"/> (no or invalid token:
/// 401; no usable role: 403; a trust's gateway key never counts). Then:
/// <list type="bullet">
/// <item>a <b>reviewer</b> sees every row: national, every trust, every device;</item>
/// <item>a <b>governance lead</b> sees the <c>national</c> row and their own trust's row. <c>trust:*</c> is narrowed
/// to their own trust; another trust is 403. Device rows and <c>*</c> (which includes device rows) are 403:
/// a device row aggregates every trust that implants that model, so for a device used by one or two other trusts
/// it would show those trusts' figures. National comparison comes from the national row alone.</item>
/// </list>
/// </summary>
public sealed class RoleBasedSignalsAccess : ISignalsAccessPolicy
{
    private readonly ICallerAuthenticator _authenticator;

    /// <summary>Creates the policy over <paramref name="authenticator"/>.</summary>
    public RoleBasedSignalsAccess(ICallerAuthenticator authenticator)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        _authenticator = authenticator;
    }

    /// <inheritdoc />
    public async ValueTask<SignalsAccess> CheckAsync(HttpRequestData request, SignalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        Authentication authentication = await _authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
        return authentication.Caller is { } caller
            ? Decide(caller, query)
            : SignalsAccess.Deny(authentication.DeniedStatus, authentication.DeniedReason ?? "Access denied.");
    }

    /// <summary>What <paramref name="caller"/> may see of <paramref name="query"/> (pure: the rules above).</summary>
    public static SignalsAccess Decide(Caller caller, SignalQuery query)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (caller.Role == CallerRole.Reviewer)
        {
            return SignalsAccess.Allow(query);
        }

        if (caller.Role != CallerRole.GovernanceLead || caller.TrustOds is not { } own)
        {
            return SignalsAccess.Deny(StatusCodes.Status403Forbidden, "No usable role.");
        }

        SignalScopeFilter scope = query.Scope;
        if (scope.Scope is { } exact)
        {
            return exact.Kind switch
            {
                SignalScopeKind.National => SignalsAccess.Allow(query),
                SignalScopeKind.Trust when caller.MaySeeTrust(exact.Value!) => SignalsAccess.Allow(query),
                SignalScopeKind.Trust => SignalsAccess.Deny(StatusCodes.Status403Forbidden, $"A governance lead sees their own trust ({own}) and the national row only."),
                _ => DeviceDenied(own),
            };
        }

        return scope.Kind switch
        {
            SignalScopeKind.Trust => SignalsAccess.Allow(query with { Scope = SignalScopeFilter.Exactly(SignalScope.Trust(own)) }),
            SignalScopeKind.Device => DeviceDenied(own),
            _ => SignalsAccess.Deny(StatusCodes.Status403Forbidden, $"A governance lead asks for scope=national or scope=trust:{own} (scope=* includes every trust's device rows)."),
        };
    }

    private static SignalsAccess DeviceDenied(string own) =>
        SignalsAccess.Deny(StatusCodes.Status403Forbidden, $"Device rows aggregate every trust that uses the device, so they are for reviewers; a governance lead sees trust:{own} and national.");
}
