using System.Text.Json;

namespace SafetySurveillance.DevHost;

/// <summary>Reads the <c>Values</c> of a <c>local.settings.json</c> file, as Core Tools does.</summary>
public static class LocalSettings
{
    /// <summary>The app settings in <paramref name="path"/>'s <c>Values</c> object.</summary>
    public static Dictionary<string, string> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return values;
    }

    /// <summary>Finds the repository root (the folder with SafetySurveillance.sln) above <paramref name="start"/>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetySurveillance.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
