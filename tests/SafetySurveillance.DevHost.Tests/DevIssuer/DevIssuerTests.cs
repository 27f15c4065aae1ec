using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using SafetySurveillance.DevHost.DevIssuer;
using SafetySurveillance.Functions.Access;
using Xunit;
using HttpRequestData = SafetySurveillance.CustomHandler.Bindings.HttpRequestData;

namespace SafetySurveillance.DevHost.Tests.DevIssuer;

public sealed class DevIssuerTests : IAsyncLifetime
{
    private DevIssuerServer _server = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await DevIssuerServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_server.DataDirectory, recursive: true);
    }

    private string Url(string path) => _server.BaseUrl + path;

    /// <summary>The function app's own authenticator, configured as DevHost configures the app, reading this issuer over HTTP.</summary>
    private async Task<Authentication> AuthenticateAsync(string token, TimeProvider? time = null)
    {
        using var metadata = new IssuerMetadata(_server.Issuer.Authority);
        var authenticator = new JwtCallerAuthenticator(metadata.Configuration, "api://safety-surveillance-local", "trust", time ?? TimeProvider.System, NullLogger<JwtCallerAuthenticator>.Instance);
        return await authenticator.AuthenticateAsync(new HttpRequestData { Headers = { ["Authorization"] = ["Bearer " + token] } }, Ct);
    }

    private async Task<string> TokenAsync(params (string Key, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        using var response = await _http.PostAsync(Url("/dev-issuer/token"), content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(8 * 3600, (long)body["expires_in"]!);
        return (string)body["access_token"]!;
    }

    [Fact]
    public async Task The_metadata_names_the_issuer_and_its_key_set_and_the_key_set_holds_one_RS256_key()
    {
        JsonNode metadata = JsonNode.Parse(await _http.GetStringAsync(Url("/dev-issuer/.well-known/openid-configuration"), Ct))!;
        JsonNode jwks = JsonNode.Parse(await _http.GetStringAsync((string)metadata["jwks_uri"]!, Ct))!;

        Assert.Equal(_server.BaseUrl + "/dev-issuer", (string?)metadata["issuer"]);
        Assert.Equal(_server.BaseUrl + "/dev-issuer/jwks", (string?)metadata["jwks_uri"]);
        Assert.Equal(_server.BaseUrl + "/dev-issuer/token", (string?)metadata["token_endpoint"]);
        JsonNode key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal("RSA", (string?)key["kty"]);
        Assert.Equal("RS256", (string?)key["alg"]);
        Assert.Equal("sig", (string?)key["use"]);
        Assert.Equal(_server.Issuer.Key.KeyId, (string?)key["kid"]);
        Assert.Null(key["d"]); // never the private part
    }

    [Fact]
    public async Task A_reviewer_token_from_the_token_endpoint_is_accepted_by_the_function_apps_authenticator_as_a_reviewer()
    {
        string token = await TokenAsync(("as", "reviewer"));

        var answer = await AuthenticateAsync(token);

        Assert.Equal(new Caller("dev-reviewer", "Development reviewer", CallerRole.Reviewer, null), answer.Caller);
        var jwt = new JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(_server.Issuer.Key.KeyId, jwt.Kid);
    }

    [Fact]
    public async Task A_lead_token_carries_the_trust_upper_cased_and_the_authenticator_reads_it()
    {
        string token = await TokenAsync(("as", "governance-lead"), ("trust", "rhq"), ("name", "Gail Lead"));

        var answer = await AuthenticateAsync(token);

        Assert.Equal(new Caller("dev-lead-RHQ", "Gail Lead", CallerRole.GovernanceLead, "RHQ"), answer.Caller);
    }

    [Fact]
    public async Task A_token_without_a_role_is_signed_and_valid_but_the_authenticator_answers_403()
    {
        string token = await TokenAsync(("as", "none"));

        var answer = await AuthenticateAsync(token);

        Assert.Null(answer.Caller);
        Assert.Equal(403, answer.DeniedStatus);
    }

    [Fact]
    public async Task Development_tokens_expire_after_8_hours()
    {
        string token = await TokenAsync(("as", "reviewer"));
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(8).AddMinutes(3));

        var answer = await AuthenticateAsync(token, later);

        Assert.Equal(401, answer.DeniedStatus);
    }

    [Theory]
    [InlineData("reviewer", null, "dev-reviewer", null)]
    [InlineData("governance-lead", "RHQ", "dev-lead-RHQ", "RHQ")]
    [InlineData("governance-lead", "rth", "dev-lead-RTH", "RTH")]
    public async Task A_sign_in_link_redirects_to_the_dashboard_with_the_token_in_the_fragment(string role, string? trust, string subject, string? expectedTrust)
    {
        string link = DevTokenIssuer.SignInLink(_server.BaseUrl, role == "reviewer" ? DevRole.Reviewer : DevRole.GovernanceLead, trust);

        using var response = await _http.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        string location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/dashboard/#token=", location, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        string token = location["/api/dashboard/#token=".Length..];
        var answer = await AuthenticateAsync(token);
        Assert.Equal(subject, answer.Caller?.Subject);
        Assert.Equal(expectedTrust, answer.Caller?.TrustOds);
    }

    [Fact]
    public async Task A_sign_in_link_may_name_another_path_on_this_host_but_not_another_site()
    {
        using var local = await _http.GetAsync(Url("/dev-issuer/sign-in?as=reviewer&redirect=/api/dashboard/alerts"), Ct);
        using var elsewhere = await _http.GetAsync(Url("/dev-issuer/sign-in?as=reviewer&redirect=//evil.example/"), Ct);
        using var absolute = await _http.GetAsync(Url("/dev-issuer/sign-in?as=reviewer&redirect=https://evil.example/"), Ct);

        Assert.StartsWith("/api/dashboard/alerts#token=", local.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, absolute.StatusCode);
    }

    [Theory]
    [InlineData("as=governance-lead")]
    [InlineData("as=governance-lead&trust=R")]
    [InlineData("as=governance-lead&trust=RX1%2F..")]
    [InlineData("as=admin")]
    [InlineData("")]
    public async Task A_sign_in_without_a_known_role_or_a_lead_without_a_valid_trust_is_refused(string query)
    {
        using var response = await _http.GetAsync(Url("/dev-issuer/sign-in?" + query), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_signing_key_is_kept_in_the_data_folder_so_a_restarted_issuer_publishes_the_same_key_and_old_tokens_stay_valid()
    {
        string token = await TokenAsync(("as", "reviewer"));
        string keyFile = Path.Combine(_server.DataDirectory, "dev-issuer", DevIssuerKey.FileName);
        string kid = _server.Issuer.Key.KeyId;
        await _server.DisposeAsync();

        // DevHost restarts on the same port (7071) and data folder: same issuer URL, same key.
        _server = await DevIssuerServer.StartAsync(_server.DataDirectory, _server.Port);
        var answer = await AuthenticateAsync(token);

        Assert.Equal(kid, _server.Issuer.Key.KeyId);
        Assert.NotNull(answer.Caller);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public async Task Another_data_folder_means_another_key_whose_tokens_this_issuer_does_not_vouch_for()
    {
        await using var other = await DevIssuerServer.StartAsync();
        string foreign = other.Issuer.Mint(new DevSignIn(DevRole.Reviewer, null, "x", "x")).Token.Replace(other.BaseUrl, _server.BaseUrl, StringComparison.Ordinal);

        var answer = await AuthenticateAsync(foreign);

        Assert.NotEqual(other.Issuer.Key.KeyId, _server.Issuer.Key.KeyId);
        Assert.Equal(401, answer.DeniedStatus);
        Directory.Delete(other.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task The_sign_in_page_lists_the_reviewer_and_each_lead_trust()
    {
        string page = await _http.GetStringAsync(Url("/dev-issuer/"), Ct);

        Assert.Contains($"href=\"{_server.BaseUrl}/dev-issuer/sign-in?as=reviewer\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{_server.BaseUrl}/dev-issuer/sign-in?as=governance-lead&amp;trust=RHQ\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{_server.BaseUrl}/dev-issuer/sign-in?as=governance-lead&amp;trust=RTH\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071", true)]
    [InlineData("http://localhost:7071", true)]
    [InlineData("http://[::1]:7071", true)]
    [InlineData("http://0.0.0.0:7071", false)]
    [InlineData("http://[::]:7071", false)]
    [InlineData("http://+:7071", false)]
    [InlineData("http://*:7071", false)]
    [InlineData("http://192.168.1.20:7071", false)]
    public void Only_loopback_listening_addresses_count_as_local(string address, bool loopback) =>
        Assert.Equal(loopback, DevIssuerGuard.IsLoopbackAddress(address));

    [Fact]
    public void Bound_beyond_loopback_the_issuer_refuses_to_run()
    {
        var guard = new DevIssuerGuard();

        guard.CheckBinding(["http://127.0.0.1:7071", "http://0.0.0.0:7072"]);

        Assert.Contains("refuses to run", guard.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_from_another_machine_is_not_local()
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = IPAddress.Parse("192.168.1.20");
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.168.1.30");
        var local = new DefaultHttpContext();
        local.Connection.LocalIpAddress = IPAddress.Loopback;
        local.Connection.RemoteIpAddress = IPAddress.Loopback;

        Assert.False(DevIssuerGuard.IsLoopbackConnection(context.Connection));
        Assert.True(DevIssuerGuard.IsLoopbackConnection(local.Connection));
    }

    [Theory]
    [InlineData(null, 7071, "http://127.0.0.1:7071/dev-issuer", true)]
    [InlineData("http://localhost:7071/dev-issuer", 7071, "http://localhost:7071/dev-issuer", true)]
    [InlineData("http://localhost:7071/dev-issuer", 7099, "http://localhost:7099/dev-issuer", true)]
    [InlineData("http://127.0.0.1:5000/dev-issuer/", 7071, "http://127.0.0.1:7071/dev-issuer", true)]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0", 7071, "https://login.microsoftonline.com/tenant/v2.0", false)]
    [InlineData("http://localhost:7071/other", 7071, "http://localhost:7071/other", false)]
    public void DevHost_points_the_app_at_its_own_issuer_only_when_the_settings_name_a_loopback_dev_issuer_or_none(string? configured, int port, string expected, bool ours)
    {
        Assert.Equal(expected, DevIssuerExtensions.AuthorityFor(configured, port, out bool isOurs));
        Assert.Equal(ours, isOurs);
    }
}
