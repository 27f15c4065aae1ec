using Microsoft.AspNetCore.Http;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard/{*path}</c>: the dashboard's static files, anonymously (they hold no figures; every figure
/// comes from the signed-in data APIs). <c>/api/dashboard</c> redirects to <c>/api/dashboard/</c> so the page's
/// relative URLs resolve. Every answer carries the Content-Security-Policy <c>default-src 'self'</c> (no inline
/// script or style, no other origin), <c>nosniff</c>, no framing and no referrer. Pages are revalidated
/// (<c>no-cache</c> + ETag, 304 on a match); versioned asset URLs (<c>?v={hash}</c>) are immutable for a year.
/// </summary>
public static class DashboardFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "Dashboard";

    /// <summary>The Content-Security-Policy of every answer.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, DashboardAssets assets)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(assets);
        HttpRequestData? request = await DashboardApi.ReadRequestAsync(context, context.RequestAborted).ConfigureAwait(false);
        if (request is null)
        {
            return DashboardApi.Unreadable(Name);
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return Respond(StatusCodes.Status405MethodNotAllowed, "text/plain; charset=utf-8", "Use GET.", "method refused");
        }

        string path = request.Params.GetValueOrDefault("path") ?? string.Empty;
        if (path.Length == 0 && Uri.TryCreate(request.Url, UriKind.Absolute, out Uri? url) && !url.AbsolutePath.EndsWith('/'))
        {
            var redirect = Headers(StatusCodes.Status301MovedPermanently, "text/plain; charset=utf-8", "Moved.");
            redirect.Headers["Location"] = url.AbsolutePath + "/" + url.Query;
            return Result(redirect, "redirect to the trailing slash");
        }

        DashboardAsset? asset = assets.Find(path);
        if (asset is null)
        {
            string message = assets.Assets.Count == 0
                ? "The dashboard bundle is missing from this build (dashboard-assets/)."
                : "Not found.";
            return Respond(StatusCodes.Status404NotFound, "text/plain; charset=utf-8", message, $"no file for '{Sanitise(path)}'");
        }

        bool versioned = request.Query.TryGetValue("v", out string? v) && string.Equals(v, asset.Version, StringComparison.Ordinal);
        string cacheControl = versioned ? "public, max-age=31536000, immutable" : "no-cache";
        if (request.Header("If-None-Match") is { } tags && tags.Split(',').Any(t => string.Equals(t.Trim(), asset.ETag, StringComparison.Ordinal)))
        {
            var notModified = Headers(StatusCodes.Status304NotModified, asset.ContentType, null);
            notModified.Headers["ETag"] = asset.ETag;
            notModified.Headers["Cache-Control"] = cacheControl;
            return Result(notModified, $"{asset.Path} not modified");
        }

        var output = Headers(StatusCodes.Status200OK, asset.ContentType, HttpMethods.IsHead(request.Method) ? null : asset.Body);
        output.Headers["ETag"] = asset.ETag;
        output.Headers["Cache-Control"] = cacheControl;
        return Result(output, $"{asset.Path} ({asset.Body.Length} chars)");
    }

    private static IResult Respond(int status, string contentType, string body, string log)
    {
        var output = Headers(status, contentType, body);
        output.Headers["Cache-Control"] = "no-store";
        return Result(output, log);
    }

    private static HttpResponseOutput Headers(int status, string contentType, string? body) => new()
    {
        StatusCode = status,
        Body = body,
        Headers =
        {
            ["Content-Type"] = contentType,
            ["Content-Security-Policy"] = ContentSecurityPolicy,
            ["X-Content-Type-Options"] = "nosniff",
            ["X-Frame-Options"] = "DENY",
            ["Referrer-Policy"] = "no-referrer",
        },
    };

    private static IResult Result(HttpResponseOutput output, string log) =>
        Results.Json(InvocationResponse.ForHttp(output, logs: [$"{Name}: {log}"]), CustomHandlerJson.Options);

    private static string Sanitise(string path) =>
        new([.. path.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
