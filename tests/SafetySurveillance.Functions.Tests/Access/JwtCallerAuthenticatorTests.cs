using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Functions.Access;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Access;

/// <summary>The authenticator against a real loopback issuer, for what the route matrix does not show: who the caller is.</summary>
public sealed class JwtCallerAuthenticatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 6, 1, 9, 0, 0, TimeSpan.Zero));
    private TestTokenIssuer _issuer = null!;
    private IssuerMetadata _metadata = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync(_time, Ct);
        _metadata = new IssuerMetadata(_issuer.Authority);
    }

    public async ValueTask DisposeAsync()
    {
        _metadata.Dispose();
        await _issuer.DisposeAsync();
    }

    private JwtCallerAuthenticator Authenticator(string trustClaim = AccessClaims.DefaultTrustClaim) =>
        new(_metadata.Configuration, TestTokenIssuer.Audience, trustClaim, _time, NullLogger<JwtCallerAuthenticator>.Instance);

    private static HttpRequestData WithBearer(string token) => new() { Headers = { ["authorization"] = ["bearer " + token] } };

    [Fact]
    public async Task A_reviewer_token_gives_a_reviewer_with_subject_and_name_and_no_trust()
    {
        var answer = await Authenticator().AuthenticateAsync(WithBearer(_issuer.Reviewer("oid-123")), Ct);

        Assert.Equal(new Caller("oid-123", "Rita Reviewer", CallerRole.Reviewer, null), answer.Caller);
    }

    [Fact]
    public async Task A_lead_token_gives_a_lead_of_the_trust_in_the_claim_upper_cased()
    {
        string token = _issuer.Mint(new TokenSpec { Subject = "lead-9", Roles = [AccessClaims.GovernanceLeadRole], Trust = " rx1 " });

        var answer = await Authenticator().AuthenticateAsync(WithBearer(token), Ct);

        Assert.Equal(new Caller("lead-9", "lead-9", CallerRole.GovernanceLead, "RX1"), answer.Caller);
    }

    [Fact]
    public async Task The_display_name_falls_back_to_the_sign_in_name_then_the_subject()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        DateTime now = _time.GetUtcNow().UtcDateTime;
        string token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = _issuer.Authority,
            Audience = TestTokenIssuer.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "s-1", ["preferred_username"] = "rita@nhs.test", ["roles"] = "reviewer" },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(_issuer.SigningKey, "RS256"),
        });

        var answer = await Authenticator().AuthenticateAsync(WithBearer(token), Ct);

        Assert.Equal(new Caller("s-1", "rita@nhs.test", CallerRole.Reviewer, null), answer.Caller);
    }

    [Fact]
    public async Task A_token_that_expired_within_the_two_minute_skew_is_accepted_and_one_beyond_it_is_not()
    {
        string token = _issuer.Mint(new TokenSpec { Roles = [AccessClaims.ReviewerRole], Lifetime = TimeSpan.FromMinutes(10) });

        _time.Advance(TimeSpan.FromMinutes(11));
        var withinSkew = await Authenticator().AuthenticateAsync(WithBearer(token), Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        var beyondSkew = await Authenticator().AuthenticateAsync(WithBearer(token), Ct);

        Assert.NotNull(withinSkew.Caller);
        Assert.Null(beyondSkew.Caller);
        Assert.Equal(401, beyondSkew.DeniedStatus);
        Assert.Equal("The token has expired.", beyondSkew.DeniedReason);
    }

    [Fact]
    public async Task A_token_without_a_subject_is_refused_with_401()
    {
        string token = _issuer.Mint(new TokenSpec { Subject = null, Roles = [AccessClaims.ReviewerRole] });

        var answer = await Authenticator().AuthenticateAsync(WithBearer(token), Ct);

        Assert.Equal(401, answer.DeniedStatus);
    }

    [Fact]
    public async Task The_trust_is_read_from_the_configured_claim_only()
    {
        string inDefault = _issuer.Mint(new TokenSpec { Roles = [AccessClaims.GovernanceLeadRole], Trust = "RX1" });
        string inExtension = _issuer.Mint(new TokenSpec { Roles = [AccessClaims.GovernanceLeadRole], Trust = "RX1", TrustClaim = "extn.trustOds" });

        var refused = await Authenticator("extn.trustOds").AuthenticateAsync(WithBearer(inDefault), Ct);
        var accepted = await Authenticator("extn.trustOds").AuthenticateAsync(WithBearer(inExtension), Ct);

        Assert.Equal(403, refused.DeniedStatus);
        Assert.Equal("RX1", accepted.Caller?.TrustOds);
    }

    [Fact]
    public async Task When_the_issuer_cannot_be_reached_tokens_are_refused_with_401_not_accepted()
    {
        string token = _issuer.Mint(new TokenSpec { Roles = [AccessClaims.ReviewerRole] });
        int port = new Uri(_issuer.Authority).Port;
        await _issuer.DisposeAsync();
        _issuer = await TestTokenIssuer.StartAsync(_time, Ct); // a different port: the old one is closed
        using var gone = new IssuerMetadata($"http://127.0.0.1:{port}/test-issuer");
        var authenticator = new JwtCallerAuthenticator(gone.Configuration, TestTokenIssuer.Audience, AccessClaims.DefaultTrustClaim, _time, NullLogger<JwtCallerAuthenticator>.Instance);

        var answer = await authenticator.AuthenticateAsync(WithBearer(token), Ct);

        Assert.Null(answer.Caller);
        Assert.Equal(401, answer.DeniedStatus);
        Assert.Contains("unavailable", answer.DeniedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_issuer_metadata_is_fetched_once_and_reused()
    {
        var authenticator = Authenticator();
        for (int i = 0; i < 5; i++)
        {
            Assert.NotNull((await authenticator.AuthenticateAsync(WithBearer(_issuer.Reviewer()), Ct)).Caller);
        }

        Assert.Equal(1, _issuer.MetadataFetches);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0", "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration")]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0/", "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration")]
    [InlineData("http://localhost:7071/dev-issuer", "http://localhost:7071/dev-issuer/.well-known/openid-configuration")]
    [InlineData("http://127.0.0.1:7071/dev-issuer", "http://127.0.0.1:7071/dev-issuer/.well-known/openid-configuration")]
    [InlineData("http://[::1]:7071/dev-issuer", "http://[::1]:7071/dev-issuer/.well-known/openid-configuration")]
    public void The_metadata_address_is_under_the_authority(string authority, string expected)
    {
        Assert.True(IssuerMetadata.TryGetAddress(authority, out Uri? address, out _));
        Assert.Equal(expected, address.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://login.example.org/tenant/v2.0")]
    [InlineData("http://10.0.0.5:7071/dev-issuer")]
    [InlineData("ftp://localhost/dev-issuer")]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0?x=1")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Plain_http_is_refused_except_on_loopback_and_so_are_other_schemes_and_queries(string authority) =>
        Assert.False(IssuerMetadata.TryGetAddress(authority, out _, out _));
}
