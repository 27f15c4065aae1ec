using System.Text.RegularExpressions;

namespace SafetySurveillance.CustomHandler.Definitions;

/// <summary>A function app folder as the Functions host sees it: <c>host.json</c> plus <c>{Name}/function.json</c> folders.</summary>
public sealed partial record FunctionAppDefinition(string RootPath, HostDefinition Host, IReadOnlyList<FunctionDefinition> Functions)
{
    /// <summary>Loads the host and every function folder under <paramref name="rootPath"/>.</summary>
    public static FunctionAppDefinition Load(string rootPath)
    {
        var hostPath = Path.Combine(rootPath, "host.json");
        if (!File.Exists(hostPath))
        {
            throw new FileNotFoundException($"No host.json in '{rootPath}'.", hostPath);
        }

        var functions = Directory.EnumerateDirectories(rootPath)
            .Select(dir => (Name: Path.GetFileName(dir), File: Path.Combine(dir, "function.json")))
            .Where(f => File.Exists(f.File))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => FunctionDefinition.Parse(f.Name, File.ReadAllText(f.File)))
            .ToList();
        return new FunctionAppDefinition(rootPath, HostDefinition.Parse(File.ReadAllText(hostPath)), functions);
    }

    /// <summary>The function called <paramref name="name"/>.</summary>
    public FunctionDefinition this[string name] =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No function '{name}' in '{RootPath}'.");

    /// <summary>Expands <c>%Setting%</c> binding expressions from app settings, as the host does.</summary>
    public static string ResolveSettings(string value, Func<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SettingExpression().Replace(value, m =>
            settings(m.Groups[1].Value) ?? throw new InvalidOperationException($"App setting '{m.Groups[1].Value}' (used as %{m.Groups[1].Value}%) is not set."));
    }

    [GeneratedRegex("%([A-Za-z0-9_:.-]+)%")]
    private static partial Regex SettingExpression();
}
