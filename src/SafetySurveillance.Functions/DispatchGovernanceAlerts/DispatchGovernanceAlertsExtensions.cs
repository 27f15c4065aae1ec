using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Functions.SubmitEvents;
using SafetySurveillance.Storage.Deliveries;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>Registers and maps <c>DispatchGovernanceAlerts</c>.</summary>
public static class DispatchGovernanceAlertsExtensions
{
    /// <summary>
    /// Adds the dispatcher and its channels: the delivery store (<c>AlertDeliveries</c>), the trust directory (shared with
    /// the gateway), the SMTP mailer (<c>Smtp</c>), the webhook signer (<c>Webhooks:SigningKey</c>) and sender (a named
    /// <see cref="HttpClient"/> that follows no redirects), the retry policy and the dashboard link (<c>Dashboard:BaseUrl</c>).
    /// </summary>
    public static IHostApplicationBuilder AddGovernanceAlertDispatch(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // The trust directory, its hasher and the shared storage clients are registered by the gateway (TryAdd, once).
        builder.AddSubmitEvents();

        services.TryAddSingleton(sp => new AlertDeliveryStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(AlertDeliveryStore.TableName)));
        services.TryAddSingleton<AlertRecipients>();
        services.TryAddSingleton<AlertMailer>();
        services.TryAddSingleton(sp => new WebhookSigner(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.SigningKey));
        services.TryAddSingleton(WebhookRetryPolicy.Default);
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IConfiguration>()[DashboardLink.SettingName];
            return new DashboardLink(string.IsNullOrWhiteSpace(configured) ? DashboardLink.Default : new Uri(configured, UriKind.Absolute));
        });
        services.TryAddSingleton<GovernanceAlertDispatcher>();
        // The host copies console output into its log: one line per webhook attempt comes from WebhookSender, not four from HttpClient.
        builder.Logging.AddFilter("System.Net.Http.HttpClient." + WebhookSender.HttpClientName, LogLevel.Warning);
        services.AddHttpClient(WebhookSender.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Standard Webhooks: a 3xx is a failure (update the URL), not something to follow.
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        return builder;
    }

    /// <summary>Maps <c>POST /DispatchGovernanceAlerts</c>.</summary>
    public static IEndpointRouteBuilder MapDispatchGovernanceAlerts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + DispatchGovernanceAlertsFunction.Name, DispatchGovernanceAlertsFunction.InvokeAsync);
        return endpoints;
    }
}
