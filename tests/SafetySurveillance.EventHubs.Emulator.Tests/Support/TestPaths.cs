using System.Runtime.CompilerServices;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>Finds the test sources (JS scripts) from this file's compile-time path, so any artifacts path works.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string Script(string name) => Path.Combine(ProjectDirectory, "js", name);

    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
