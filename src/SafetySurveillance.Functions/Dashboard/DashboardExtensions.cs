using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Functions.GetCompleteness;
using SafetySurveillance.Functions.GetFunnel;
using SafetySurveillance.Functions.GetSignals;
using SafetySurveillance.Functions.GetTrends;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>Registers and maps the dashboard: its static files (<c>Dashboard</c>) and its data APIs (<c>GetFunnel</c>, <c>GetTrends</c>, <c>GetCompleteness</c>).</summary>
public static class DashboardExtensions
{
    /// <summary>
    /// Registers the signal store (shared), the rule set (TryAdd: call this after <c>AddSignalEvaluation</c> so the
    /// dashboard reads the very rules the evaluation uses, from <c>SignalRules:Path</c>; alone it loads
    /// <see cref="SignalRulesFile.RelativePath"/>) and the bundled static files. The data APIs ask the
    /// registered <see cref="Access.ICallerAuthenticator"/> who is calling and refuse everyone when there is none.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSignalStorage();
        builder.Services.TryAddSingleton(_ => SignalRulesFile.Load());

        builder.Services.TryAddSingleton(_ => DashboardAssets.FromDirectory(Path.Combine(AppContext.BaseDirectory, DashboardAssets.RelativeRoot)));
        return builder;
    }

    /// <summary>Maps <c>POST /Dashboard</c>, <c>/GetFunnel</c>, <c>/GetTrends</c> and <c>/GetCompleteness</c>.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + DashboardFunction.Name, DashboardFunction.InvokeAsync);
        endpoints.MapPost("/" + GetFunnelFunction.Name, GetFunnelFunction.InvokeAsync);
        endpoints.MapPost("/" + GetTrendsFunction.Name, GetTrendsFunction.InvokeAsync);
        endpoints.MapPost("/" + GetCompletenessFunction.Name, GetCompletenessFunction.InvokeAsync);
        return endpoints;
    }
}
