using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Alerts;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.ResolveAlert;

/// <summary>
/// <c>POST /api/alerts/{id}/resolve</c> with an optional body <c>{"note": "..."}</c>: Open or acknowledged → resolved; resolving again changes nothing. The caller's token
/// subject is recorded as who, with the time. 404 for an alert that does not exist or that the caller may not see;
/// 403 for a national alert a governance lead may see but not act on; 400 for a bad body; 401/403 from
/// <see cref="ICallerAuthenticator"/>; 503 when storage fails. See <see cref="AlertsApi.ActAsync"/>.
/// </summary>
public static class ResolveAlertFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "ResolveAlert";

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, IServiceProvider services, AlertStore store, IOptions<DashboardOptions> dashboard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(time);
        CancellationToken cancellationToken = context.RequestAborted;
        SignedInRequest begun = await DashboardApi.BeginAsync(context, services, Name, HttpMethods.Post, cancellationToken).ConfigureAwait(false);
        if (begun.Refusal is { } refusal)
        {
            return refusal;
        }

        HttpRequestData request = begun.Request!;
        Caller caller = begun.Caller!;

        try
        {
            return await AlertsApi.ActAsync(Name, caller, request.Params.GetValueOrDefault("id"), request.Body, AlertLifecycle.Resolve, store, dashboard.Value, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or AlertConflictException or AlertFormatException)
        {
            return AlertsApi.StorageUnavailable(Name, ex);
        }
    }
}
