using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>Wires the development issuer into DevHost.</summary>
public static class DevIssuerExtensions
{
    /// <summary>The function app settings the issuer reads and sets.</summary>
    public const string AuthorityKey = "Auth__Authority";

    /// <inheritdoc cref="AuthorityKey"/>
    public const string AudienceKey = "Auth__Audience";

    /// <inheritdoc cref="AuthorityKey"/>
    public const string TrustClaimKey = "Auth__TrustClaim";

    /// <summary>The audience used when the settings name none.</summary>
    public const string DefaultAudience = "api://safety-surveillance-local";

    /// <summary>
    /// Creates the issuer (signing key in <c>{data}/dev-issuer</c>) unless <c>DevHost:DevIssuer:Enabled</c> is false.
    /// When the app settings name no authority, or a loopback <c>/dev-issuer</c> one (as local.settings.sample.json
    /// does), <c>Auth__Authority</c> is pointed at this DevHost's port, so the function app trusts these tokens; an
    /// authority elsewhere (a real Entra tenant) is left alone and no sign-in links are printed.
    /// </summary>
    public static DevTokenIssuer? AddDevIssuer(this WebApplicationBuilder builder, int httpPort, IDictionary<string, string> settings, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var options = builder.Configuration.GetSection(DevIssuerOptions.Section).Get<DevIssuerOptions>() ?? new DevIssuerOptions();
        if (!options.Enabled)
        {
            return null;
        }

        string? configured = settings.TryGetValue(AuthorityKey, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        string authority = AuthorityFor(configured, httpPort, out bool ours);
        if (ours)
        {
            settings[AuthorityKey] = authority;
        }

        if (!settings.TryGetValue(AudienceKey, out string? audience) || string.IsNullOrWhiteSpace(audience))
        {
            settings[AudienceKey] = audience = DefaultAudience;
        }

        string trustClaim = settings.TryGetValue(TrustClaimKey, out string? claim) && !string.IsNullOrWhiteSpace(claim) ? claim : "trust";
        var key = DevIssuerKey.LoadOrCreate(Path.Combine(dataDirectory, "dev-issuer"));
        var issuer = new DevTokenIssuer(ours ? authority : $"http://127.0.0.1:{httpPort}{DevTokenIssuer.PathBase}", audience, trustClaim, key, options, TimeProvider.System)
        {
            AppAcceptsTokens = ours,
        };
        builder.Services.AddSingleton(issuer);
        builder.Services.AddSingleton(new DevIssuerGuard());
        return issuer;
    }

    /// <summary>
    /// The authority the function app should use: DevHost's own issuer when <paramref name="configured"/> is empty or a
    /// loopback URL whose path is <c>/dev-issuer</c> (its port replaced by <paramref name="httpPort"/>); otherwise
    /// <paramref name="configured"/> itself, and <paramref name="ours"/> is false.
    /// </summary>
    public static string AuthorityFor(string? configured, int httpPort, out bool ours)
    {
        if (configured is null)
        {
            ours = true;
            return $"http://127.0.0.1:{httpPort}{DevTokenIssuer.PathBase}";
        }

        ours = Uri.TryCreate(configured, UriKind.Absolute, out Uri? uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && uri.IsLoopback
            && string.Equals(uri.AbsolutePath.TrimEnd('/'), DevTokenIssuer.PathBase, StringComparison.Ordinal);
        return ours ? new UriBuilder(uri!) { Port = httpPort, Path = DevTokenIssuer.PathBase }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : configured;
    }

    /// <summary>
    /// Maps the issuer's endpoints and, once DevHost listens, checks it listens on loopback only (else the issuer
    /// refuses to serve) and prints the sign-in links (also written to <c>{data}/dev-issuer/sign-in.txt</c>).
    /// </summary>
    public static void MapDevIssuer(this WebApplication app, DevTokenIssuer? issuer, int httpPort, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (issuer is null)
        {
            return;
        }

        var guard = app.Services.GetRequiredService<DevIssuerGuard>();
        app.MapDevIssuer(issuer, guard);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            guard.CheckBinding(addresses);
            if (guard.Refusal is { } refusal)
            {
                Console.Error.WriteLine(refusal);
                return;
            }

            if (!issuer.AppAcceptsTokens)
            {
                Console.WriteLine($"Development issuer at http://127.0.0.1:{httpPort}{DevTokenIssuer.PathBase}, but Auth__Authority names another issuer: the function app will not accept its tokens, so no sign-in links.");
                return;
            }

            var lines = issuer.SignInLines($"http://127.0.0.1:{httpPort}");
            File.WriteAllLines(Path.Combine(dataDirectory, "dev-issuer", "sign-in.txt"), lines);
            foreach (string line in lines)
            {
                Console.WriteLine(line);
            }
        });
    }
}
