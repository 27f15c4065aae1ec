using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>One static file of the dashboard, held in memory.</summary>
/// <param name="Path">Path under the dashboard root, with '/' separators (e.g. <c>app.js</c>).</param>
/// <param name="ContentType">The Content-Type header value.</param>
/// <param name="Body">The text.</param>
/// <param name="ETag">A strong ETag of the body (quoted).</param>
/// <param name="Version">A short hash of the body, the <c>v</c> query value that marks a versioned URL.</param>
public sealed record DashboardAsset(string Path, string ContentType, string Body, string ETag, string Version);

/// <summary>
/// The bundled dashboard (HTML, CSS, the esbuild bundle of the JavaScript modules with Chart.js), read once from
/// <see cref="RelativeRoot"/> beside the app. Only files present at start can be served, so a request path can never
/// reach outside the folder. Pages (<c>.html</c>) reference the other files as <c>name?v={hash}</c>, rewritten at load,
/// so every asset URL changes with its content and can be cached for a year; pages themselves are revalidated.
/// </summary>
public sealed partial class DashboardAssets
{
    /// <summary>The bundle's folder relative to the app's base directory (written by the Functions project's build).</summary>
    public const string RelativeRoot = "dashboard-assets";

    /// <summary>The file served for the root path.</summary>
    public const string IndexPath = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> assets, string root)
    {
        _assets = assets;
        Root = root;
    }

    /// <summary>The folder the files were read from.</summary>
    public string Root { get; }

    /// <summary>Every file, by path.</summary>
    public IReadOnlyDictionary<string, DashboardAsset> Assets => _assets;

    /// <summary>
    /// Reads every text file with a known extension under <paramref name="root"/> (others are not served). A missing
    /// folder gives an empty set: the function then answers 404 and says the bundle was not built.
    /// </summary>
    public static DashboardAssets FromDirectory(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var files = new Dictionary<string, (string ContentType, string Body)>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (ContentTypes.TryGetValue(System.IO.Path.GetExtension(file), out string? contentType))
                {
                    string relative = System.IO.Path.GetRelativePath(root, file).Replace('\\', '/');
                    files[relative] = (contentType, File.ReadAllText(file, Encoding.UTF8));
                }
            }
        }

        return FromFiles(files, root);
    }

    /// <summary>Builds the set from in-memory files (path → content type and text).</summary>
    public static DashboardAssets FromFiles(IReadOnlyDictionary<string, (string ContentType, string Body)> files, string root = "")
    {
        ArgumentNullException.ThrowIfNull(files);
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach ((string path, (string contentType, string body)) in files.Where(f => !f.Key.EndsWith(".html", StringComparison.OrdinalIgnoreCase)))
        {
            assets[path] = Create(path, contentType, body);
        }

        foreach ((string path, (string contentType, string body)) in files.Where(f => f.Key.EndsWith(".html", StringComparison.OrdinalIgnoreCase)))
        {
            string directory = path.Contains('/', StringComparison.Ordinal) ? path[..(path.LastIndexOf('/') + 1)] : string.Empty;
            string versioned = LocalReference().Replace(body, match =>
            {
                string target = directory + match.Groups["path"].Value;
                return assets.TryGetValue(target, out DashboardAsset? asset)
                    ? $"{match.Groups["attribute"].Value}=\"{match.Groups["path"].Value}?v={asset.Version}\""
                    : match.Value;
            });
            assets[path] = Create(path, contentType, versioned);
        }

        return new DashboardAssets(assets.ToFrozenDictionary(StringComparer.Ordinal), root);
    }

    /// <summary>
    /// Finds the file for a request path (the <c>{*path}</c> route value): empty means <see cref="IndexPath"/>; a
    /// path that is not exactly a known file's (no <c>..</c>, no backslashes, no encoded characters, no leading
    /// slash) finds nothing.
    /// </summary>
    public DashboardAsset? Find(string? requestPath)
    {
        string path = string.IsNullOrEmpty(requestPath) ? IndexPath : requestPath;
        if (path.EndsWith('/'))
        {
            path += IndexPath;
        }

        if (path.Length > 256 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Contains('%', StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "" or "." or "..") || path.Any(char.IsControl))
        {
            return null;
        }

        return _assets.GetValueOrDefault(path);
    }

    private static DashboardAsset Create(string path, string contentType, string body)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(body));
        string version = Convert.ToHexStringLower(hash.AsSpan(0, 6));
        return new DashboardAsset(path, contentType, body, $"\"{Convert.ToBase64String(hash)}\"", version);
    }

    [GeneratedRegex("(?<attribute>src|href)=\"(?<path>[A-Za-z0-9_\\-][A-Za-z0-9_\\-./]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex LocalReference();
}
