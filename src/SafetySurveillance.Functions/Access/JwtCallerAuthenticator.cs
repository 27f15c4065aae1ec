using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using HttpRequestData = SafetySurveillance.CustomHandler.Bindings.HttpRequestData;
using SafetySurveillance.Domain.Events.CloudEvents;

namespace SafetySurveillance.Functions.Access;

/// <summary>
/// Validates a person's bearer token (a JWT from Entra ID in Azure, from DevHost's development issuer locally)
/// and says who is calling. Checks: signature with one of the issuer's published keys, algorithm RS256 only
/// (so <c>alg: none</c> and HMAC tokens are refused), issuer as the metadata names it, audience, expiry and
/// not-before with <see cref="ClockSkew"/> of tolerance, judged by the injected <see cref="TimeProvider"/>. Then the
/// role: <c>reviewer</c> sees every trust; <c>governance-lead</c> needs a trust claim holding a valid ODS code.
/// No or invalid token: 401. Valid token without a usable role or trust: 403.
/// </summary>
public sealed partial class JwtCallerAuthenticator : ICallerAuthenticator
{
    /// <summary>Tolerance on <c>exp</c> and <c>nbf</c> for clocks that differ between the issuer and this app.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private readonly IConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly string _audience;
    private readonly string _trustClaim;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>Creates the authenticator.</summary>
    /// <param name="metadata">The issuer's metadata and signing keys (<see cref="IssuerMetadata.Configuration"/>).</param>
    /// <param name="audience">The audience every token must carry (<c>Auth:Audience</c>).</param>
    /// <param name="trustClaim">The claim holding a governance lead's ODS code (<c>Auth:TrustClaim</c>).</param>
    /// <param name="time">The clock tokens' lifetimes are judged by.</param>
    /// <param name="logger">Where refused tokens are logged (the reason only, never the token).</param>
    public JwtCallerAuthenticator(IConfigurationManager<OpenIdConnectConfiguration> metadata, string audience, string trustClaim, TimeProvider time, ILogger<JwtCallerAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(trustClaim);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _metadata = metadata;
        _audience = audience;
        _trustClaim = trustClaim;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<Authentication> AuthenticateAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        BearerToken presented = BearerToken.Read(request);
        if (presented.Token is not { } token)
        {
            return Authentication.Deny(StatusCodes.Status401Unauthorized, presented.Problem!);
        }

        OpenIdConnectConfiguration issuer;
        try
        {
            issuer = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMetadataUnavailable(_logger, ex);
            return Authentication.Deny(StatusCodes.Status401Unauthorized, "The token could not be checked: the sign-in service's keys are unavailable. Try again shortly.");
        }

        if (string.IsNullOrEmpty(issuer.Issuer))
        {
            LogMetadataWithoutIssuer(_logger);
            return Authentication.Deny(StatusCodes.Status401Unauthorized, "The token could not be checked: the sign-in service's metadata names no issuer.");
        }

        TokenValidationResult result = await _handler.ValidateTokenAsync(token, Parameters(issuer)).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // A key the cached metadata does not list yet (the issuer rolled its keys): fetch again, throttled.
                _metadata.RequestRefresh();
            }

            string reason = Describe(result.Exception);
            LogRefused(_logger, reason);
            return Authentication.Deny(StatusCodes.Status401Unauthorized, reason);
        }

        return ToCaller(jwt);
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration issuer) => new()
    {
        ValidIssuer = issuer.Issuer,
        ValidateIssuer = true,
        ValidAudience = _audience,
        ValidateAudience = true,
        RequireAudience = true,
        IssuerSigningKeys = issuer.SigningKeys,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
        NameClaimType = AccessClaims.Name,
        RoleClaimType = AccessClaims.Roles,
    };

    // The library's own lifetime check reads the system clock; this one reads the injected TimeProvider.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } start && start > expiry)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's not-before is after its expiry.") { NotBefore = start, Expires = expiry };
        }

        if (notBefore is { } from && from - ClockSkew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = from };
        }

        if (expiry + ClockSkew <= now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expiry };
        }

        return true;
    }

    private Authentication ToCaller(JsonWebToken jwt)
    {
        string? subject = Single(jwt, AccessClaims.Subject);
        if (string.IsNullOrWhiteSpace(subject))
        {
            return Authentication.Deny(StatusCodes.Status401Unauthorized, "The token has no subject (sub).");
        }

        string displayName = Single(jwt, AccessClaims.Name) is { Length: > 0 } name
            ? name
            : Single(jwt, AccessClaims.PreferredUsername) is { Length: > 0 } username ? username : subject;
        var roles = jwt.Claims.Where(c => c.Type == AccessClaims.Roles).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (roles.Contains(AccessClaims.ReviewerRole))
        {
            return Authentication.Allow(new Caller(subject, displayName, CallerRole.Reviewer, null));
        }

        if (!roles.Contains(AccessClaims.GovernanceLeadRole))
        {
            return Authentication.Deny(StatusCodes.Status403Forbidden, $"The token carries no role this service knows; assign the {AccessClaims.ReviewerRole} or {AccessClaims.GovernanceLeadRole} app role.");
        }

        List<Claim> trusts = jwt.Claims.Where(c => c.Type == _trustClaim).ToList();
        string? trust = trusts.Count == 1 ? trusts[0].Value.Trim().ToUpperInvariant() : null;
        if (trust is null || !OdsCode.IsValid(trust))
        {
            return Authentication.Deny(StatusCodes.Status403Forbidden, $"A governance lead's token must carry exactly one trust ODS code in the '{_trustClaim}' claim.");
        }

        return Authentication.Allow(new Caller(subject, displayName, CallerRole.GovernanceLead, trust));
    }

    private static string? Single(JsonWebToken jwt, string type) =>
        jwt.TryGetPayloadValue(type, out string? value) ? value : null;

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenInvalidLifetimeException => "The token's lifetime is not valid.",
        SecurityTokenInvalidAudienceException => "The token is for another audience.",
        SecurityTokenInvalidIssuerException => "The token is from another issuer.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted (RS256 only).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key the issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenMalformedException => "The bearer token is not a well-formed JWT.",
        _ => "The token is not valid.",
    };

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Bearer tokens cannot be checked: the issuer's metadata or keys could not be fetched")]
    private static partial void LogMetadataUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Bearer tokens cannot be checked: the issuer's metadata names no issuer")]
    private static partial void LogMetadataWithoutIssuer(ILogger logger);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Bearer token refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
