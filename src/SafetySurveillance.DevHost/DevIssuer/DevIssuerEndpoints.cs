using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>
/// The development issuer's HTTP endpoints under <c>/dev-issuer</c>:
/// <list type="bullet">
/// <item><c>GET /.well-known/openid-configuration</c> and <c>GET /jwks</c>: what the function app fetches, as from Entra ID;</item>
/// <item><c>GET /sign-in?as=reviewer</c> or <c>?as=governance-lead&amp;trust=RHQ</c> (optional <c>name=</c>,
/// <c>redirect=/path</c>): mints a token and answers 302 to <c>{dashboard}#token={jwt}</c>;</item>
/// <item><c>POST /token</c> with form fields <c>as</c>, <c>trust</c>, <c>name</c>: <c>{access_token, token_type, expires_in}</c>;</item>
/// <item><c>GET /dev-issuer/</c>: a page with the sign-in links.</item>
/// </list>
/// Every answer is <c>no-store</c>; non-loopback connections get 403, and nothing is served when DevHost is bound
/// beyond loopback.
/// </summary>
public static class DevIssuerEndpoints
{
    /// <summary>Maps the endpoints of <paramref name="issuer"/>, guarded by <paramref name="guard"/>.</summary>
    public static RouteGroupBuilder MapDevIssuer(this IEndpointRouteBuilder endpoints, DevTokenIssuer issuer, DevIssuerGuard guard)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(guard);
        RouteGroupBuilder group = endpoints.MapGroup(DevTokenIssuer.PathBase);
        group.AddEndpointFilter(async (context, next) =>
        {
            HttpContext http = context.HttpContext;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (guard.Refusal is { } refusal)
            {
                return Results.Text(refusal, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return DevIssuerGuard.IsLoopbackConnection(http.Connection)
                ? await next(context).ConfigureAwait(false)
                : Results.Text("The development issuer answers loopback connections only.", statusCode: StatusCodes.Status403Forbidden);
        });

        group.MapGet("/.well-known/openid-configuration", () => Results.Json(issuer.Metadata()));
        group.MapGet("/jwks", () => Results.Json(issuer.Jwks()));
        group.MapGet("/sign-in", (string? @as, string? trust, string? name, string? redirect) =>
        {
            if (!DevTokenIssuer.TryRead(@as, trust, name, out DevSignIn? who, out string? problem))
            {
                return Results.Text(problem!, statusCode: StatusCodes.Status400BadRequest);
            }

            string target = redirect ?? issuer.Options.DashboardPath;
            if (!IsLocalPath(target))
            {
                return Results.Text("redirect must be a path on this host, such as /api/dashboard/.", statusCode: StatusCodes.Status400BadRequest);
            }

            DevToken token = issuer.Mint(who!);
            return Results.Redirect(target.Split('#')[0] + "#token=" + token.Token);
        });
        group.MapPost("/token", async (HttpRequest request) =>
        {
            IFormCollection form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;
            string? Field(string key) => form.TryGetValue(key, out var value) ? value.ToString() : request.Query[key].ToString() is { Length: > 0 } q ? q : null;
            if (!DevTokenIssuer.TryRead(Field("as"), Field("trust"), Field("name"), out DevSignIn? who, out string? problem))
            {
                return Results.Json(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = problem! }, statusCode: StatusCodes.Status400BadRequest);
            }

            DevToken token = issuer.Mint(who!);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = token.Token,
                ["token_type"] = "Bearer",
                ["expires_in"] = (long)token.ExpiresIn.TotalSeconds,
            });
        });
        group.MapGet("/", (HttpRequest request) =>
        {
            string baseUrl = $"{request.Scheme}://{request.Host}";
            string items = string.Concat(issuer.SignInLinks(baseUrl).Select(l =>
                $"<li><a href=\"{WebUtility.HtmlEncode(l.Url)}\">{WebUtility.HtmlEncode(l.Label)}</a></li>"));
            string html = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Development sign-in</title>"
                + "<h1>Development sign-in</h1><p>Local development only: these tokens are signed by DevHost, not Entra ID.</p>"
                + $"<ul>{items}</ul><p>A token for scripts: <code>{WebUtility.HtmlEncode(DevTokenIssuer.CurlForToken(baseUrl))}</code></p></html>";
            return Results.Content(html, "text/html; charset=utf-8");
        });
        return group;
    }

    /// <summary>Whether <paramref name="target"/> is a path on this host (not another site: no scheme, no <c>//</c>, no backslash).</summary>
    public static bool IsLocalPath(string target) =>
        !string.IsNullOrEmpty(target)
        && target[0] == '/'
        && (target.Length == 1 || (target[1] != '/' && target[1] != '\\'))
        && !target.Contains('\\', StringComparison.Ordinal)
        && !target.Any(char.IsControl);
}
