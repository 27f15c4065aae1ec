using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetySurveillance.TestInfrastructure.Access;

/// <summary>
/// An OpenID Connect issuer on loopback for tests and benchmarks that run the function app with real bearer-token
/// validation (the dashboard browser tests, the dashboard benchmark): metadata at
/// <c>{Authority}/.well-known/openid-configuration</c> and its RSA key at <c>{Authority}/jwks</c>, fetched by the
/// function app exactly as it fetches Entra ID's. Tokens are RS256 with <c>roles</c> and the <c>trust</c> claim.
/// </summary>
public sealed class LoopbackTokenIssuer : IAsyncDisposable
{
    /// <summary>The audience the function app is configured with.</summary>
    public const string Audience = "api://safety-surveillance-loopback-tests";

    private readonly WebApplication _server;
    private readonly RSA _key;
    private readonly RsaSecurityKey _signingKey;

    private LoopbackTokenIssuer(WebApplication server, RSA key, string authority)
    {
        _server = server;
        _key = key;
        _signingKey = new RsaSecurityKey(key) { KeyId = "loopback-tests-1" };
        Authority = authority;
    }

    /// <summary>The issuer URL (the <c>iss</c> of every token).</summary>
    public string Authority { get; }

    /// <summary>Starts the issuer on a free loopback port.</summary>
    public static async Task<LoopbackTokenIssuer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var key = RSA.Create(2048);
        LoopbackTokenIssuer? issuer = null;
        app.MapGet("/issuer/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!.Authority,
            ["jwks_uri"] = issuer.Authority + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/issuer/jwks", () =>
        {
            RSAParameters p = key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "loopback-tests-1", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        issuer = new LoopbackTokenIssuer(app, key, $"http://127.0.0.1:{new Uri(app.Urls.First()).Port}/issuer");
        return issuer;
    }

    /// <summary>A national reviewer's token.</summary>
    public string Reviewer() => Mint("reviewer-1", "Rita Reviewer", "reviewer", null);

    /// <summary>A governance lead's token for <paramref name="trust"/>.</summary>
    public string Lead(string trust) => Mint("lead-" + trust, "Lead of " + trust, "governance-lead", trust);

    private string Mint(string subject, string name, string role, string? trust)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = name, ["roles"] = new[] { role } };
        if (trust is not null)
        {
            claims["trust"] = trust;
        }

        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>
    /// Writes a copy of <c>local.settings.sample.json</c> whose <c>Auth</c> settings name this issuer, for
    /// <c>--DevHost:SettingsFile</c>; returns its path.
    /// </summary>
    public async Task<string> WriteLocalSettingsAsync(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("loopback-settings-").FullName, "local.settings.json");
        var file = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.RequireFile("local.settings.sample.json"), cancellationToken).ConfigureAwait(false))!;
        file["Values"]!["Auth__Authority"] = Authority;
        file["Values"]!["Auth__Audience"] = Audience;
        await File.WriteAllTextAsync(path, file.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
    }
}
