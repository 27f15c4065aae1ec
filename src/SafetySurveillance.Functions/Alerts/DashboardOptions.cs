using System.ComponentModel.DataAnnotations;
using SafetySurveillance.Functions.DispatchGovernanceAlerts;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>Where the dashboard is (section <c>Dashboard</c>), for the link each alert carries.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>
    /// The dashboard's absolute base URL (setting <c>Dashboard__BaseUrl</c>). The default is where DevHost serves the
    /// <c>Dashboard</c> function locally (route <c>dashboard/{*path}</c> under <c>/api</c>), the same default the alert
    /// e-mails and webhooks use, so every link to an alert is the same.
    /// </summary>
    [Required]
    public string BaseUrl { get; set; } = DashboardLink.Default.AbsoluteUri;

    /// <summary>The link to one alert's view: <c>{BaseUrl}/#/alerts/{url-encoded id}</c>.</summary>
    public Uri LinkTo(string alertId) => AlertContent.DashboardLinkFor(new Uri(BaseUrl, UriKind.Absolute), alertId);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"Dashboard:BaseUrl must be an absolute http(s) URL; '{BaseUrl}' is not.", [nameof(BaseUrl)]);
        }
    }
}
