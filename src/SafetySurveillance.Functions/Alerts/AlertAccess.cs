using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>
/// Who may see and act on which alert. A reviewer sees and acts on every alert. A governance lead sees the alerts of
/// their own trust and national alerts (the comparison they are judged against), and acknowledges or resolves only
/// their own trust's alerts; device alerts span trusts and are for reviewers. An alert a caller may not see is
/// answered exactly as an alert that does not exist (404), so ids of other trusts' alerts cannot be probed.
/// </summary>
public static class AlertAccess
{
    /// <summary>Whether <paramref name="caller"/> may see <paramref name="alert"/>.</summary>
    public static bool MaySee(Caller caller, AlertState alert)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(alert);
        return caller.Role == CallerRole.Reviewer
            || alert.Scope.Kind == SignalScopeKind.National
            || (alert.Scope.Kind == SignalScopeKind.Trust && IsOwnTrust(caller, alert.Scope.Value!));
    }

    /// <summary>Whether <paramref name="caller"/> may acknowledge or resolve <paramref name="alert"/>.</summary>
    public static bool MayAct(Caller caller, AlertState alert)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(alert);
        return caller.Role == CallerRole.Reviewer
            || (alert.Scope.Kind == SignalScopeKind.Trust && IsOwnTrust(caller, alert.Scope.Value!));
    }

    private static bool IsOwnTrust(Caller caller, string ods) =>
        caller.Role == CallerRole.GovernanceLead
        && caller.TrustOds is { Length: > 0 } own
        && string.Equals(SignalScope.Trust(own).Value, ods, StringComparison.Ordinal);
}
