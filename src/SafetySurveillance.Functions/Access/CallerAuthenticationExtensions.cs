using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Functions.Access;

/// <summary>Registers bearer-token authentication of people (<see cref="ICallerAuthenticator"/>).</summary>
public static class CallerAuthenticationExtensions
{
    /// <summary>
    /// Registers, once for the app: <see cref="AccessOptions"/> (section <c>Auth</c>), a start-up check that
    /// <c>Auth:Authority</c> is https (http only on loopback), the issuer's metadata (<see cref="IssuerMetadata"/>, fetched
    /// on the first request and cached) and <see cref="JwtCallerAuthenticator"/> as the <see cref="ICallerAuthenticator"/>
    /// every authenticated function asks. <see cref="AuthOptions"/> itself is bound by <c>AddFunctionAppOptions</c>.
    /// </summary>
    public static IHostApplicationBuilder AddCallerAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AccessOptions>()
            .BindConfiguration(AccessOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AuthOptions>()
            .Validate(o => IssuerMetadata.TryGetAddress(o.Authority, out _, out _), "Auth:Authority must be an https URL (http only for a loopback development issuer) without query or fragment.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new IssuerMetadata(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Authority));
        services.TryAddSingleton<ICallerAuthenticator>(sp => new JwtCallerAuthenticator(
            sp.GetRequiredService<IssuerMetadata>().Configuration,
            sp.GetRequiredService<IOptions<AuthOptions>>().Value.Audience,
            sp.GetRequiredService<IOptions<AccessOptions>>().Value.TrustClaim,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JwtCallerAuthenticator>>()));
        return builder;
    }
}
