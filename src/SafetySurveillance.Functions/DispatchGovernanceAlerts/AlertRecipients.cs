using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Storage.Deliveries;
using SafetySurveillance.Storage.Trusts;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>Who receives one alert send, and anything worth telling the operator about how that was decided.</summary>
/// <param name="Targets">Distinct recipients: e-mail addresses (without case) and webhook URLs.</param>
/// <param name="Notes">Plain-English remarks, e.g. that the alert's trust is not registered.</param>
public sealed record AlertRoute(IReadOnlyList<DeliveryTarget> Targets, IReadOnlyList<string> Notes);

/// <summary>
/// Routes an alert. A trust-scoped alert (<see cref="AlertNotification.TrustOds"/> set) goes to that trust's governance
/// contacts and webhook (from the <c>Trusts</c> table) and to the national reviewers (<c>Governance:NationalReviewers</c>)
/// and the national webhook (<c>Webhooks:NationalUrl</c>, optional). A national or device-scoped alert goes to the national
/// reviewers and the national webhook only. The same address or URL listed twice receives one copy.
/// </summary>
public sealed class AlertRecipients
{
    private readonly TrustDirectory _trusts;
    private readonly GovernanceOptions _governance;
    private readonly WebhookOptions _webhooks;

    /// <summary>Creates the router.</summary>
    public AlertRecipients(TrustDirectory trusts, IOptions<GovernanceOptions> governance, IOptions<WebhookOptions> webhooks)
    {
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(webhooks);
        _trusts = trusts ?? throw new ArgumentNullException(nameof(trusts));
        _governance = governance.Value;
        _webhooks = webhooks.Value;
    }

    /// <summary>The recipients of <paramref name="notification"/>. One point read of the trust's row for a trust alert.</summary>
    public async Task<AlertRoute> ResolveAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var targets = new List<DeliveryTarget>();
        var notes = new List<string>();
        if (notification.TrustOds is { } ods)
        {
            var trust = await _trusts.GetAsync(ods, cancellationToken).ConfigureAwait(false);
            if (trust is null)
            {
                notes.Add($"Trust {ods} is not registered in the Trusts table: only the national recipients receive this alert.");
            }
            else
            {
                targets.AddRange(trust.Details.GovernanceContacts.Select(DeliveryTarget.Email));
                if (trust.Details.WebhookUrl is { } url)
                {
                    targets.Add(DeliveryTarget.Webhook(url));
                }

                if (trust.Details.GovernanceContacts.Count == 0 && trust.Details.WebhookUrl is null)
                {
                    notes.Add($"Trust {ods} has no governance contact and no webhook: only the national recipients receive this alert.");
                }
            }
        }

        targets.AddRange(_governance.NationalReviewerAddresses.Select(DeliveryTarget.Email));
        if (_webhooks.NationalUri is { } national)
        {
            targets.Add(DeliveryTarget.Webhook(national));
        }

        return new AlertRoute(targets.Distinct().ToList(), notes);
    }
}
