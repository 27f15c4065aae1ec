using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Alerts;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.GetAlerts;

/// <summary>
/// <c>GET /api/alerts?status=&amp;procedure=&amp;trust=</c>: the alerts the caller may see, most recently changed first,
/// each with its evidence, lifecycle and dashboard link. A reviewer sees every alert; a governance lead sees their
/// trust's and national alerts, and asking for another trust is refused (403). 400 lists every bad parameter;
/// 401/403 from <see cref="ICallerAuthenticator"/>; 503 when storage fails.
/// </summary>
public static class GetAlertsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetAlerts";

    /// <summary>The most alerts one answer carries (<c>truncated</c> says when there were more).</summary>
    public const int MaxAlerts = 500;

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, IServiceProvider services, AlertStore store, IOptions<DashboardOptions> dashboard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dashboard);
        CancellationToken cancellationToken = context.RequestAborted;
        SignedInRequest begun = await DashboardApi.BeginAsync(context, services, Name, HttpMethods.Get, cancellationToken).ConfigureAwait(false);
        if (begun.Refusal is { } refusal)
        {
            return refusal;
        }

        HttpRequestData request = begun.Request!;
        Caller caller = begun.Caller!;

        var parameters = new DashboardQuery(request.Query, "status", "procedure", "trust");
        var problems = parameters.Problems.ToList();
        AlertStatus? status = null;
        if (parameters.Value("status") is { } statusText)
        {
            if (Enum.TryParse(statusText, ignoreCase: true, out AlertStatus parsed) && Enum.IsDefined(parsed) && !int.TryParse(statusText, out _))
            {
                status = parsed;
            }
            else
            {
                problems.Add(new ParameterProblem("status", "One of open, acknowledged, resolved."));
            }
        }

        string? procedure = parameters.Value("procedure");
        if (procedure is { Length: > 32 })
        {
            problems.Add(new ParameterProblem("procedure", "A procedure code such as A48.4."));
            procedure = null;
        }

        string? trust = parameters.Value("trust") is { } trustText ? SignalScope.Trust(trustText).Value : null;
        if (trust is { Length: > 16 })
        {
            problems.Add(new ParameterProblem("trust", "An ODS code such as RX1."));
            trust = null;
        }

        if (problems.Count > 0)
        {
            return DashboardApi.InvalidQuery(Name, problems);
        }

        AlertQuery query;
        if (caller.Role == CallerRole.Reviewer)
        {
            query = new AlertQuery(procedure, status, trust);
        }
        else if (trust is not null && !caller.MaySeeTrust(trust))
        {
            return DashboardApi.Answer(StatusCodes.Status403Forbidden, new ApiError("forbidden", "A governance lead sees the alerts of their own trust only."), $"{Name}: lead asked for another trust (403)");
        }
        else if (caller.TrustOds is not { Length: > 0 } own)
        {
            return DashboardApi.Answer(StatusCodes.Status403Forbidden, new ApiError("forbidden", "The token names no trust for this governance lead."), $"{Name}: lead without a trust (403)");
        }
        else
        {
            query = trust is null ? new AlertQuery(procedure, status, own, AlsoNational: true) : new AlertQuery(procedure, status, trust);
        }

        IReadOnlyList<StoredAlert> alerts;
        try
        {
            alerts = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or AlertFormatException)
        {
            return AlertsApi.StorageUnavailable(Name, ex);
        }

        var visible = alerts.Where(a => AlertAccess.MaySee(caller, a.State)).ToList();
        var views = visible.Take(MaxAlerts).Select(a => AlertView.From(a, dashboard.Value)).ToList();
        return DashboardApi.Answer(
            StatusCodes.Status200OK,
            new { alerts = views, count = views.Count, truncated = visible.Count > MaxAlerts },
            $"{Name}: {views.Count} alert(s)");
    }
}
