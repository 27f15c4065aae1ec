using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.Alerts;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.AcknowledgeAlert;

/// <summary>
/// <c>POST /api/alerts/{id}/acknowledge</c> with an optional body <c>{"note": "..."}</c>: Open → acknowledged; acknowledging again changes nothing; a resolved alert answers 409 (it re-opens by itself if the signal worsens). The caller's token
/// subject is recorded as who, with the time. 404 for an alert that does not exist or that the caller may not see;
/// 403 for a national alert a governance lead may see but not act on; 400 for a bad body; 401/403 from
/// <see cref="Access.ICallerAuthenticator"/>; 503 when storage fails. See <see cref="AlertsApi.ActAsync"/>.
/// </summary>
public static class AcknowledgeAlertFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "AcknowledgeAlert";

    /// <summary>Handles one invocation.</summary>
    public static Task<IResult> InvokeAsync(HttpContext context, IServiceProvider services, AlertStore store, IOptions<DashboardOptions> dashboard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        return AlertsApi.InvokeActionAsync(Name, AlertLifecycle.Acknowledge, context, services, store, dashboard.Value, time);
    }
}
