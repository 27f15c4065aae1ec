using System.ComponentModel.DataAnnotations;
using SafetySurveillance.Domain.Events.CloudEvents;

namespace SafetySurveillance.Storage.Trusts;

/// <summary>What the directory knows about a trust, apart from its keys.</summary>
/// <param name="OdsCode">The trust's ODS code (3-5 upper-case letters or digits, see <see cref="OdsCode"/>); the row key.</param>
/// <param name="Name">The trust's name, e.g. <c>Leeds Teaching Hospitals NHS Trust</c>.</param>
/// <param name="GovernanceContacts">Clinical-governance e-mail addresses that receive the trust's alerts.</param>
/// <param name="WebhookUrl">Where signed alert webhooks go (https; http only for loopback), or null.</param>
public sealed record TrustDetails(string OdsCode, string Name, IReadOnlyList<string> GovernanceContacts, Uri? WebhookUrl = null)
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Every problem with these details, in plain English; empty when they can be stored.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (OdsCode is null || !Domain.Events.CloudEvents.OdsCode.IsValid(OdsCode))
        {
            problems.Add("OdsCode must be 3-5 upper-case letters or digits, e.g. 'RJ1'.");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength || Name.Any(char.IsControl))
        {
            problems.Add($"Name must be 1-{MaxNameLength} characters without control characters.");
        }

        var email = new EmailAddressAttribute();
        foreach (var contact in GovernanceContacts ?? [])
        {
            if (string.IsNullOrWhiteSpace(contact) || contact.Contains(';', StringComparison.Ordinal) || !email.IsValid(contact))
            {
                problems.Add("GovernanceContacts holds an entry that is not an e-mail address.");
            }
        }

        if (WebhookUrl is not null
            && (!WebhookUrl.IsAbsoluteUri
                || !(WebhookUrl.Scheme == Uri.UriSchemeHttps || (WebhookUrl.Scheme == Uri.UriSchemeHttp && WebhookUrl.IsLoopback))))
        {
            problems.Add("WebhookUrl must be an absolute https URL (http only for loopback).");
        }

        return problems;
    }

    internal void ThrowIfInvalid()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
