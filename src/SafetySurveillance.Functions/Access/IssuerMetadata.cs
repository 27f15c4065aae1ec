using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace SafetySurveillance.Functions.Access;

/// <summary>
/// The token issuer's OpenID Connect metadata (<c>{authority}/.well-known/openid-configuration</c>) and the signing
/// keys it points to (<c>jwks_uri</c>), fetched once and refreshed by <see cref="ConfigurationManager{T}"/>
/// (every 12 hours, or sooner when a token names a key that is not known yet). HTTPS is required, except for a
/// loopback authority such as DevHost's development issuer (<c>http://localhost:7071/dev-issuer</c>).
/// </summary>
public sealed class IssuerMetadata : IDisposable
{
    /// <summary>The metadata document's path under the authority.</summary>
    public const string WellKnownPath = "/.well-known/openid-configuration";

    private readonly HttpClient _http;

    /// <summary>Prepares (does not fetch) the metadata of <paramref name="authority"/>.</summary>
    /// <exception cref="ArgumentException">The authority is not an absolute https URL (or http on loopback).</exception>
    public IssuerMetadata(string authority)
    {
        if (!TryGetAddress(authority, out Uri? address, out string? problem))
        {
            throw new ArgumentException(problem, nameof(authority));
        }

        Address = address;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        Configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            address.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_http) { RequireHttps = !address.IsLoopback });
    }

    /// <summary>The metadata document's address.</summary>
    public Uri Address { get; }

    /// <summary>The cached, self-refreshing metadata and keys.</summary>
    public IConfigurationManager<OpenIdConnectConfiguration> Configuration { get; }

    /// <summary>
    /// The metadata address of <paramref name="authority"/>: https, or http only when the host is loopback
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>); no query or fragment.
    /// </summary>
    public static bool TryGetAddress(string? authority, [NotNullWhen(true)] out Uri? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        if (!Uri.TryCreate(authority, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "Auth:Authority must be an absolute https URL, e.g. https://login.microsoftonline.com/{tenant}/v2.0.";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problem = "Auth:Authority must use https; plain http is accepted only for a loopback development issuer (http://localhost:7071/dev-issuer).";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problem = "Auth:Authority must not carry a query, a fragment or credentials.";
            return false;
        }

        address = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + WellKnownPath);
        problem = null;
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
