using Azure;
using SafetySurveillance.Domain.Alerts;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>
/// An alert as stored: its state, the sends decided but not yet confirmed on the <c>governance-alerts</c> queue (the
/// outbox), and the ETag that a conditional write must match.
/// </summary>
/// <param name="State">The alert.</param>
/// <param name="PendingSends">Notifications recorded with the row and not yet known to be enqueued, oldest first.</param>
/// <param name="ETag">The row's ETag when read or written.</param>
public sealed record StoredAlert(AlertState State, IReadOnlyList<AlertNotification> PendingSends, ETag ETag)
{
    /// <summary>The alert's id.</summary>
    public AlertId Id => State.Id;
}

/// <summary>Which alerts a query returns.</summary>
/// <param name="Procedure">Only this procedure (one partition), or every procedure.</param>
/// <param name="Status">Only alerts in this status, or any.</param>
/// <param name="TrustOds">Only alerts whose scope is this trust (ODS code), or any scope.</param>
/// <param name="AlsoNational">With <paramref name="TrustOds"/>: national alerts too (what a governance lead may see).</param>
public sealed record AlertQuery(string? Procedure = null, AlertStatus? Status = null, string? TrustOds = null, bool AlsoNational = false);
