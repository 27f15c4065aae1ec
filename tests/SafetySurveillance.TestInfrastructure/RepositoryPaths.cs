namespace SafetySurveillance.TestInfrastructure;

/// <summary>Finds files in the repository checkout the tests run from.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds <c>SafetySurveillance.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The repository's <c>node_modules</c> folder (installed by the README test command with <c>npm ci</c>).</summary>
    public static string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>Returns the path of a file under the repository root, failing clearly when it is missing.</summary>
    public static string RequireFile(params string[] relative)
    {
        var path = Path.Combine([Root, .. relative]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"'{path}' is missing. Run the README test command (it runs 'npm ci' first) or 'npm ci' in {Root}.",
                path);
        }

        return path;
    }

    private static string FindRoot()
    {
        var builtFrom = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        string?[] candidates = [AppContext.BaseDirectory, Environment.CurrentDirectory, builtFrom];
        foreach (var start in candidates.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SafetySurveillance.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not find SafetySurveillance.sln above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or {builtFrom}.");
    }
}
