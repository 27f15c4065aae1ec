using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>Who did something to an alert, and when (the person's token subject, never a patient).</summary>
/// <param name="By">The caller's subject.</param>
/// <param name="At">When.</param>
/// <param name="Note">Their note, if any.</param>
public sealed record AlertActionView(string By, DateTimeOffset At, string? Note);

/// <summary>
/// One alert as the API returns it: what it is about, its severity and status, its evidence (aggregate numbers only),
/// its lifecycle and the link to its dashboard view.
/// </summary>
/// <param name="Id">The stable id (procedure | period | rule | scope).</param>
/// <param name="RuleId">The rule.</param>
/// <param name="RuleKind">sentinel, rate, funnel, cusum or follow-up.</param>
/// <param name="Procedure">The procedure code.</param>
/// <param name="Scope"><c>national</c>, <c>trust:{ods}</c> or <c>device:{udi}</c>.</param>
/// <param name="TrustOds">The trust, for a trust alert.</param>
/// <param name="Period">The period key.</param>
/// <param name="Severity">The latest finding's severity.</param>
/// <param name="SentSeverity">The highest severity sent since it was raised or re-opened.</param>
/// <param name="Status">open, acknowledged or resolved.</param>
/// <param name="Summary">One sentence.</param>
/// <param name="Evidence">The numbers.</param>
/// <param name="RaisedAt">When first raised.</param>
/// <param name="UpdatedAt">When last changed.</param>
/// <param name="Acknowledged">Who acknowledged it, since it was last opened.</param>
/// <param name="Resolved">Who resolved it, while resolved.</param>
/// <param name="Sends">How many times it has been sent.</param>
/// <param name="DashboardUrl">The alert's view on the dashboard.</param>
public sealed record AlertView(
    string Id,
    string RuleId,
    string RuleKind,
    string Procedure,
    string Scope,
    string? TrustOds,
    string Period,
    Severity Severity,
    Severity SentSeverity,
    AlertStatus Status,
    string Summary,
    Evidence Evidence,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    AlertActionView? Acknowledged,
    AlertActionView? Resolved,
    int Sends,
    Uri DashboardUrl)
{
    /// <summary>The view of a stored alert.</summary>
    public static AlertView From(StoredAlert alert, DashboardOptions dashboard)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(dashboard);
        AlertState s = alert.State;
        return new AlertView(
            s.Id.Value,
            s.RuleId,
            s.RuleKind,
            s.Procedure,
            s.Scope.ToString(),
            s.Scope.Kind == SignalScopeKind.Trust ? s.Scope.Value : null,
            s.Period.ToString(),
            s.Severity,
            s.SentSeverity,
            s.Status,
            s.Summary,
            s.Evidence,
            s.RaisedAt,
            s.UpdatedAt,
            s.Acknowledged is { } a ? new AlertActionView(a.By, a.At, a.Note) : null,
            s.Resolved is { } r ? new AlertActionView(r.By, r.At, r.Note) : null,
            s.Sends,
            dashboard.LinkTo(s.Id.Value));
    }
}
