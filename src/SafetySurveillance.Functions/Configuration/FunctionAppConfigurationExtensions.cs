using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>Registers every options class of the function app, validated when the app starts.</summary>
public static class FunctionAppConfigurationExtensions
{
    /// <summary>
    /// Binds and validates every options class in <see cref="FunctionAppSettings.Sections"/>. A missing or
    /// malformed setting stops the app at start-up (the Functions host then reports the handler failed to start),
    /// not on the first event.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionAppOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Configure<IConfiguration>((o, c) => o.ConnectionString = c.GetSection(StorageOptions.SectionName).Value)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<EventHubConnectionOptions>()
            .BindConfiguration(EventHubConnectionOptions.SectionName)
            .Configure<IConfiguration>((o, c) => o.ConnectionString = c.GetSection(EventHubConnectionOptions.SectionName).Value)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Top-level settings (the trigger's %EventHubName% / %EventHubConsumerGroup%): bound from the root.
        services.AddOptions<EventHubOptions>()
            .Configure<IConfiguration>((o, c) => c.Bind(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        Add<PseudonymisationOptions>(services, PseudonymisationOptions.SectionName);
        Add<SmtpOptions>(services, SmtpOptions.SectionName);
        Add<WebhookOptions>(services, WebhookOptions.SectionName);
        Add<AuthOptions>(services, AuthOptions.SectionName);
        Add<GovernanceOptions>(services, GovernanceOptions.SectionName);
        return builder;
    }

    private static void Add<TOptions>(IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
