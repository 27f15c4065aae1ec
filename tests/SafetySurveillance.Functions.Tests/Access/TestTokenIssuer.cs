using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetySurveillance.Functions.Access;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Access;

/// <summary>
/// A real token issuer on loopback HTTP for the tests: OpenID Connect metadata at
/// <c>{Authority}/.well-known/openid-configuration</c> and an RSA signing key at <c>{Authority}/jwks</c>, which the
/// function app fetches exactly as it fetches Entra ID's. Tokens are signed with that key (RS256) unless a test
/// asks for a forged one. Times come from the clock given, so they agree with the app's <c>FakeTimeProvider</c>.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    /// <summary>The audience the app is configured with in these tests.</summary>
    public const string Audience = "api://safety-surveillance-tests";

    private readonly WebApplication _server;
    private readonly RSA _key = RSA.Create(2048);
    private readonly TimeProvider _time;

    private TestTokenIssuer(WebApplication server, TimeProvider time, string authority)
    {
        _server = server;
        _time = time;
        Authority = authority;
        SigningKey = new RsaSecurityKey(_key) { KeyId = "test-key-1" };
    }

    /// <summary>The issuer URL (also the <c>iss</c> of every token minted here).</summary>
    public string Authority { get; }

    /// <summary>The published signing key.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>How many times the metadata and key documents were fetched.</summary>
    public int MetadataFetches { get; private set; }

    /// <summary>Starts the issuer on a free loopback port.</summary>
    public static async Task<TestTokenIssuer> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestTokenIssuer? issuer = null;
        app.MapGet("/test-issuer/.well-known/openid-configuration", () =>
        {
            issuer!.MetadataFetches++;
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Authority,
                ["jwks_uri"] = issuer.Authority + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/test-issuer/jwks", () =>
        {
            RSAParameters p = issuer!._key.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", alg = "RS256", kid = issuer.SigningKey.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
                },
            });
        });
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Urls.First());
        issuer = new TestTokenIssuer(app, time, $"http://127.0.0.1:{address.Port}/test-issuer");
        return issuer;
    }

    /// <summary>A valid reviewer token.</summary>
    public string Reviewer(string subject = "reviewer-1") =>
        Mint(new TokenSpec { Subject = subject, Name = "Rita Reviewer", Roles = [AccessClaims.ReviewerRole] });

    /// <summary>A valid governance-lead token for <paramref name="trust"/>.</summary>
    public string Lead(string trust, string? subject = null) =>
        Mint(new TokenSpec { Subject = subject ?? "lead-" + trust, Name = "Lead of " + trust, Roles = [AccessClaims.GovernanceLeadRole], Trust = trust });

    /// <summary>Mints a token as <paramref name="spec"/> says: signed with the published key unless it says otherwise.</summary>
    public string Mint(TokenSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>();
        if (spec.Subject is not null)
        {
            claims[AccessClaims.Subject] = spec.Subject;
        }

        if (spec.Name is not null)
        {
            claims[AccessClaims.Name] = spec.Name;
        }

        if (spec.Roles is { } roles)
        {
            claims[AccessClaims.Roles] = roles;
        }

        if (spec.Trust is not null)
        {
            claims[spec.TrustClaim] = spec.Trust;
        }

        if (spec.Algorithm == "none")
        {
            var payload = new JsonObject
            {
                ["iss"] = spec.Issuer ?? Authority,
                ["aud"] = spec.Audience ?? Audience,
                ["iat"] = ToUnix(now),
                ["nbf"] = ToUnix(now),
                ["exp"] = ToUnix(now + spec.Lifetime),
            };
            foreach (var (name, value) in claims)
            {
                payload[name] = JsonSerializer.SerializeToNode(value);
            }

            return Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + ".";
        }

        SigningCredentials credentials = spec.Algorithm switch
        {
            SecurityAlgorithms.HmacSha256 => new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))) { KeyId = SigningKey.KeyId }, SecurityAlgorithms.HmacSha256),
            _ => new SigningCredentials(spec.SignWith ?? SigningKey, spec.Algorithm),
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer ?? Authority,
            Audience = spec.Audience ?? Audience,
            IssuedAt = now + spec.IssuedOffset,
            NotBefore = now + spec.IssuedOffset,
            Expires = spec.NoExpiry ? null : now + spec.IssuedOffset + spec.Lifetime,
            Claims = claims,
            SigningCredentials = credentials,
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(descriptor);
    }

    /// <summary>The token with its signature replaced by another key's over the same header and payload.</summary>
    public static string WithForeignSignature(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        string[] parts = token.Split('.');
        using RSA other = RSA.Create(2048);
        byte[] signature = other.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return parts[0] + "." + parts[1] + "." + Base64UrlEncoder.Encode(signature);
    }

    private static long ToUnix(DateTime time) => new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(TestContext.Current.CancellationToken);
        await _server.DisposeAsync();
        _key.Dispose();
    }
}

/// <summary>What a minted token carries.</summary>
public sealed record TokenSpec
{
    /// <summary><c>sub</c>; null leaves it out.</summary>
    public string? Subject { get; init; } = "someone";

    /// <summary><c>name</c>; null leaves it out.</summary>
    public string? Name { get; init; }

    /// <summary><c>roles</c>; null leaves the claim out.</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>The trust claim's value; null leaves it out.</summary>
    public string? Trust { get; init; }

    /// <summary>The trust claim's name.</summary>
    public string TrustClaim { get; init; } = AccessClaims.DefaultTrustClaim;

    /// <summary><c>iss</c>; null means the issuer's own.</summary>
    public string? Issuer { get; init; }

    /// <summary><c>aud</c>; null means <see cref="TestTokenIssuer.Audience"/>.</summary>
    public string? Audience { get; init; }

    /// <summary>Token lifetime from issue.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Issue time relative to now (negative: issued in the past).</summary>
    public TimeSpan IssuedOffset { get; init; }

    /// <summary>Leave <c>exp</c> out.</summary>
    public bool NoExpiry { get; init; }

    /// <summary><c>RS256</c> (default), <c>HS256</c> (a shared-secret token) or <c>none</c> (unsigned).</summary>
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;

    /// <summary>Sign with this key instead of the published one (same <c>kid</c> or another).</summary>
    public SecurityKey? SignWith { get; init; }
}
