using System.Text.Json.Nodes;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Functions.Tests.Support;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Dashboard;

/// <summary>The Dashboard function over the bundle the Functions project's build wrote (dashboard-assets/ beside the app).</summary>
[Collection(DashboardApiCollection.Name)]
public sealed class DashboardFunctionTests(DashboardApiFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpOutput> GetAsync(string path, string url, Dictionary<string, string>? query = null, string? ifNoneMatch = null, string method = "GET")
    {
        var headers = new JsonObject();
        if (ifNoneMatch is not null)
        {
            headers["If-None-Match"] = new JsonArray(ifNoneMatch);
        }

        var queryJson = new JsonObject();
        foreach (var (name, value) in query ?? [])
        {
            queryJson[name] = value;
        }

        var request = new JsonObject
        {
            ["Url"] = url,
            ["Method"] = method,
            ["Query"] = queryJson,
            ["Headers"] = headers,
            ["Params"] = new JsonObject { ["path"] = path },
            ["Body"] = null,
        };
        return HttpTriggerInvocation.PostAsync(app.Handler, DashboardFunction.Name, request, Ct);
    }

    [Fact]
    public async Task The_page_is_html_under_a_strict_content_security_policy_and_is_revalidated()
    {
        var page = await GetAsync("", "http://localhost:7071/api/dashboard/");

        Assert.Equal(200, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Headers["Content-Type"]);
        Assert.StartsWith("default-src 'self'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers["X-Content-Type-Options"]);
        Assert.Equal("no-cache", page.Headers["Cache-Control"]);
        Assert.Matches("<script type=\"module\" src=\"app.js\\?v=[0-9a-f]{12}\"></script>", page.Body!);
        Assert.DoesNotContain("<script>", page.Body!, StringComparison.Ordinal); // no inline script: CSP would block it
        Assert.DoesNotContain("style=", page.Body!, StringComparison.Ordinal);
        Assert.DoesNotContain("//cdn", page.Body!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_bundle_holds_chart_js_and_its_versioned_url_is_cached_for_a_year()
    {
        var page = await GetAsync("", "http://localhost:7071/api/dashboard/");
        string version = System.Text.RegularExpressions.Regex.Match(page.Body!, "app\\.js\\?v=([0-9a-f]+)").Groups[1].Value;

        var versioned = await GetAsync("app.js", "http://localhost:7071/api/dashboard/app.js?v=" + version, new() { ["v"] = version });
        var stale = await GetAsync("app.js", "http://localhost:7071/api/dashboard/app.js?v=000000000000", new() { ["v"] = "000000000000" });

        Assert.Equal(200, versioned.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", versioned.Headers["Content-Type"]);
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers["Cache-Control"]);
        Assert.Contains("Chart.js v4.6.1", versioned.Body!, StringComparison.Ordinal); // the library's licence banner, kept by esbuild
        Assert.Contains("chartjs-plugin-annotation v3.1.0", versioned.Body!, StringComparison.Ordinal);
        Assert.DoesNotContain("import ", versioned.Body![..200], StringComparison.Ordinal);
        Assert.Equal("no-cache", stale.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task A_matching_etag_gets_304_without_a_body()
    {
        var first = await GetAsync("app.css", "http://localhost:7071/api/dashboard/app.css");
        var again = await GetAsync("app.css", "http://localhost:7071/api/dashboard/app.css", ifNoneMatch: first.Headers["ETag"]);

        Assert.Equal("text/css; charset=utf-8", first.Headers["Content-Type"]);
        Assert.Equal(304, again.StatusCode);
        Assert.Null(again.Body);
        Assert.Equal(first.Headers["ETag"], again.Headers["ETag"]);
    }

    [Fact]
    public async Task The_root_without_a_slash_redirects_so_relative_urls_resolve()
    {
        var answer = await GetAsync("", "http://localhost:7071/api/dashboard?x=1");

        Assert.Equal(301, answer.StatusCode);
        Assert.Equal("/api/dashboard/?x=1", answer.Headers["Location"]);
    }

    [Theory]
    [InlineData("../host.json")]
    [InlineData("../../SafetySurveillance.Functions.dll")]
    [InlineData("..%2F..%2Fhost.json")]
    [InlineData("/etc/passwd")]
    [InlineData("config/signal-rules.json")]
    public async Task A_path_outside_the_bundle_is_not_found(string path)
    {
        var answer = await GetAsync(path, "http://localhost:7071/api/dashboard/x");

        Assert.Equal(404, answer.StatusCode);
        Assert.Equal("Not found.", answer.Body);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task Only_get_and_head_are_answered()
    {
        var post = await GetAsync("", "http://localhost:7071/api/dashboard/", method: "POST");
        var head = await GetAsync("", "http://localhost:7071/api/dashboard/", method: "HEAD");

        Assert.Equal(405, post.StatusCode);
        Assert.Equal(200, head.StatusCode);
        Assert.Null(head.Body);
    }
}
