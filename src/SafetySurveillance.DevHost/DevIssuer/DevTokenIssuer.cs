using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>Who a development token says is calling.</summary>
public enum DevRole
{
    /// <summary>App role <c>reviewer</c>: every trust.</summary>
    Reviewer = 0,

    /// <summary>App role <c>governance-lead</c> with a trust claim.</summary>
    GovernanceLead = 1,

    /// <summary>No <c>roles</c> claim at all: a signed-in person the API refuses with 403.</summary>
    None = 2,
}

/// <summary>A development sign-in: role, trust (leads only), display name and subject.</summary>
/// <param name="Role">The role.</param>
/// <param name="Trust">The governance lead's ODS code (upper case); null otherwise.</param>
/// <param name="Name">The display name (<c>name</c> claim).</param>
/// <param name="Subject">The subject (<c>sub</c> claim), stable per role and trust.</param>
public sealed record DevSignIn(DevRole Role, string? Trust, string Name, string Subject);

/// <summary>A minted token.</summary>
/// <param name="Token">The compact JWT.</param>
/// <param name="ExpiresIn">Its lifetime.</param>
public sealed record DevToken(string Token, TimeSpan ExpiresIn);

/// <summary>
/// DevHost's development token issuer: OpenID Connect metadata and a JWKS with one RSA key, and RS256 tokens shaped
/// like Entra ID access tokens for this API (<c>iss</c>, <c>aud</c>, <c>sub</c>, <c>name</c>, <c>roles</c> and the trust
/// claim the function app reads). For local development only: the endpoints answer loopback connections only.
/// </summary>
public sealed partial class DevTokenIssuer
{
    /// <summary>The path all issuer endpoints live under.</summary>
    public const string PathBase = "/dev-issuer";

    /// <summary>Role values of the <c>as</c> parameter and the <c>roles</c> claim.</summary>
    public const string ReviewerRole = "reviewer";

    /// <inheritdoc cref="ReviewerRole"/>
    public const string GovernanceLeadRole = "governance-lead";

    /// <summary>The <c>as</c> value for a token without roles.</summary>
    public const string NoRole = "none";

    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Creates the issuer.</summary>
    /// <param name="authority">The issuer URL (<c>iss</c>); metadata lives at <c>{authority}/.well-known/openid-configuration</c>.</param>
    /// <param name="audience">The audience the function app expects (<c>Auth__Audience</c>).</param>
    /// <param name="trustClaim">The claim the function app reads a lead's trust from (<c>Auth__TrustClaim</c>, default <c>trust</c>).</param>
    /// <param name="key">The signing key.</param>
    /// <param name="options">Lifetime, dashboard path and lead trusts.</param>
    /// <param name="time">The clock.</param>
    public DevTokenIssuer(string authority, string audience, string trustClaim, DevIssuerKey key, DevIssuerOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authority);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(trustClaim);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Authority = authority.TrimEnd('/');
        Audience = audience;
        TrustClaim = trustClaim;
        Key = key;
        Options = options;
        _time = time;
    }

    /// <summary>The issuer URL.</summary>
    public string Authority { get; }

    /// <summary>The audience of every token.</summary>
    public string Audience { get; }

    /// <summary>The trust claim's name.</summary>
    public string TrustClaim { get; }

    /// <summary>The signing key.</summary>
    public DevIssuerKey Key { get; }

    /// <summary>The options.</summary>
    public DevIssuerOptions Options { get; }

    /// <summary>Whether the function app is configured with this issuer (so it accepts its tokens).</summary>
    public bool AppAcceptsTokens { get; init; } = true;

    /// <summary>The OpenID Connect discovery document.</summary>
    public IReadOnlyDictionary<string, object> Metadata() => new Dictionary<string, object>
    {
        ["issuer"] = Authority,
        ["jwks_uri"] = Authority + "/jwks",
        ["token_endpoint"] = Authority + "/token",
        ["authorization_endpoint"] = Authority + "/sign-in",
        ["response_types_supported"] = new[] { "token" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        ["token_endpoint_auth_methods_supported"] = new[] { "none" },
        ["claims_supported"] = new[] { "iss", "aud", "sub", "name", "roles", TrustClaim, "iat", "nbf", "exp", "jti" },
    };

    /// <summary>The JSON Web Key Set: the one public signing key.</summary>
    public IReadOnlyDictionary<string, object> Jwks() => new Dictionary<string, object>
    {
        ["keys"] = new[]
        {
            new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = Key.KeyId, ["n"] = Key.Modulus, ["e"] = Key.Exponent },
        },
    };

    /// <summary>Mints a token for <paramref name="who"/>, valid from now for <see cref="DevIssuerOptions.TokenLifetime"/>.</summary>
    public DevToken Mint(DevSignIn who)
    {
        ArgumentNullException.ThrowIfNull(who);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = who.Subject,
            ["name"] = who.Name,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        switch (who.Role)
        {
            case DevRole.Reviewer:
                claims["roles"] = new[] { ReviewerRole };
                break;
            case DevRole.GovernanceLead:
                claims["roles"] = new[] { GovernanceLeadRole };
                claims[TrustClaim] = who.Trust!;
                break;
            default:
                break;
        }

        string token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Options.TokenLifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(Key.SigningKey, SecurityAlgorithms.RsaSha256),
        });
        return new DevToken(token, Options.TokenLifetime);
    }

    /// <summary>
    /// Reads a sign-in request: <paramref name="role"/> is <c>reviewer</c>, <c>governance-lead</c> (with
    /// <paramref name="trust"/>, an ODS code of 3–5 letters and digits) or <c>none</c>; <paramref name="name"/> is optional.
    /// </summary>
    public static bool TryRead(string? role, string? trust, string? name, out DevSignIn? who, out string? problem)
    {
        who = null;
        problem = null;
        string? ods = string.IsNullOrWhiteSpace(trust) ? null : trust.Trim().ToUpperInvariant();
        if (ods is not null && !OdsCode().IsMatch(ods))
        {
            problem = "trust must be an ODS code: 3 to 5 letters and digits, e.g. RHQ.";
            return false;
        }

        string? display = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (display is { Length: > 100 })
        {
            problem = "name is too long (100 characters at most).";
            return false;
        }

        switch (role?.Trim())
        {
            case ReviewerRole:
                who = new DevSignIn(DevRole.Reviewer, null, display ?? "Development reviewer", "dev-reviewer");
                return true;
            case GovernanceLeadRole when ods is null:
                problem = "A governance lead signs in for one trust: add trust=<ODS code>, e.g. trust=RHQ.";
                return false;
            case GovernanceLeadRole:
                who = new DevSignIn(DevRole.GovernanceLead, ods, display ?? $"Development governance lead ({ods})", "dev-lead-" + ods);
                return true;
            case NoRole:
                who = new DevSignIn(DevRole.None, null, display ?? "Development user without a role", "dev-no-role");
                return true;
            default:
                problem = $"as must be {ReviewerRole}, {GovernanceLeadRole} (with trust=<ODS code>) or {NoRole}.";
                return false;
        }
    }

    /// <summary>The sign-in link for <paramref name="who"/> at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:7071</c>).</summary>
    public static string SignInLink(string baseUrl, DevRole role, string? trust = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        string link = baseUrl.TrimEnd('/') + PathBase + "/sign-in?as=" + role switch
        {
            DevRole.Reviewer => ReviewerRole,
            DevRole.GovernanceLead => GovernanceLeadRole,
            _ => NoRole,
        };
        return trust is null ? link : link + "&trust=" + Uri.EscapeDataString(trust);
    }

    /// <summary>A sign-in link per role: the reviewer, then a governance lead of each of <see cref="DevIssuerOptions.LeadTrusts"/>.</summary>
    public IReadOnlyList<(string Label, string Url)> SignInLinks(string baseUrl)
    {
        var links = new List<(string, string)> { ("reviewer (every trust)", SignInLink(baseUrl, DevRole.Reviewer)) };
        foreach (string trust in Options.LeadTrusts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToUpperInvariant()).Distinct())
        {
            links.Add(($"governance lead of {trust}", SignInLink(baseUrl, DevRole.GovernanceLead, trust)));
        }

        return links;
    }

    /// <summary>A curl command that gets a reviewer token from the token endpoint.</summary>
    public static string CurlForToken(string baseUrl) => $"curl -s -X POST {baseUrl.TrimEnd('/')}{PathBase}/token -d as=reviewer";

    /// <summary>The lines DevHost prints: the sign-in links and the curl command.</summary>
    public IReadOnlyList<string> SignInLines(string baseUrl)
    {
        var lines = new List<string>
        {
            $"Development sign-in (issuer {Authority}; tokens last {Options.TokenLifetime.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h; loopback only):",
        };
        lines.AddRange(SignInLinks(baseUrl).Select(l => $"  {l.Label + ":",-30} {l.Url}"));
        lines.Add($"  {"a token for curl:",-30} {CurlForToken(baseUrl)}");
        return lines;
    }

    [GeneratedRegex("^[A-Z0-9]{3,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex OdsCode();
}
