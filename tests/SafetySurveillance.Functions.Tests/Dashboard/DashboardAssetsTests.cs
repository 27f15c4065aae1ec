using SafetySurveillance.Functions.Dashboard;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Dashboard;

public sealed class DashboardAssetsTests
{
    private static DashboardAssets Sample() => DashboardAssets.FromFiles(new Dictionary<string, (string, string)>
    {
        ["index.html"] = ("text/html; charset=utf-8", "<link rel=\"stylesheet\" href=\"app.css\"><script type=\"module\" src=\"app.js\"></script><a href=\"#/alerts\">a</a><img src=\"missing.svg\">"),
        ["app.js"] = ("text/javascript; charset=utf-8", "console.log(1)"),
        ["app.css"] = ("text/css; charset=utf-8", "body{}"),
        ["help/index.html"] = ("text/html; charset=utf-8", "<script src=\"page.js\"></script>"),
        ["help/page.js"] = ("text/javascript; charset=utf-8", "2"),
    });

    [Fact]
    public void Pages_reference_each_bundled_file_by_a_url_that_changes_with_its_content()
    {
        DashboardAssets assets = Sample();
        DashboardAsset index = assets.Find("")!;
        DashboardAsset script = assets.Find("app.js")!;

        Assert.Contains($"src=\"app.js?v={script.Version}\"", index.Body, StringComparison.Ordinal);
        Assert.Contains($"href=\"app.css?v={assets.Find("app.css")!.Version}\"", index.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"#/alerts\"", index.Body, StringComparison.Ordinal);
        Assert.Contains("src=\"missing.svg\"", index.Body, StringComparison.Ordinal);
        Assert.Contains($"src=\"page.js?v={assets.Find("help/page.js")!.Version}\"", assets.Find("help/")!.Body, StringComparison.Ordinal);

        var changed = DashboardAssets.FromFiles(new Dictionary<string, (string, string)>
        {
            ["app.js"] = ("text/javascript; charset=utf-8", "console.log(2)"),
        });
        Assert.NotEqual(script.Version, changed.Find("app.js")!.Version);
        Assert.NotEqual(script.ETag, changed.Find("app.js")!.ETag);
    }

    [Theory]
    [InlineData("../host.json")]
    [InlineData("..")]
    [InlineData("help/../app.js")]
    [InlineData("./app.js")]
    [InlineData("/app.js")]
    [InlineData("help//page.js")]
    [InlineData("help\\page.js")]
    [InlineData("..%2fhost.json")]
    [InlineData("app.js%00")]
    [InlineData("app.js\n")]
    [InlineData("APP.JS")]
    [InlineData("Dashboard/function.json")]
    public void Anything_but_the_exact_path_of_a_bundled_file_finds_nothing(string path)
    {
        Assert.Null(Sample().Find(path));
    }

    [Fact]
    public void Only_text_files_with_a_known_type_under_the_folder_are_read()
    {
        string root = Directory.CreateTempSubdirectory("assets-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllText(Path.Combine(root, "index.html"), "<p>hi</p>");
            File.WriteAllText(Path.Combine(root, "sub", "x.js"), "1");
            File.WriteAllBytes(Path.Combine(root, "logo.png"), [137, 80, 78, 71]);
            File.WriteAllText(Path.Combine(root, "secrets.config"), "key");

            DashboardAssets assets = DashboardAssets.FromDirectory(root);

            Assert.Equal(["index.html", "sub/x.js"], assets.Assets.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("text/javascript; charset=utf-8", assets.Find("sub/x.js")!.ContentType);
            Assert.Empty(DashboardAssets.FromDirectory(Path.Combine(root, "missing")).Assets);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
