using System.Reflection;

namespace SafetySurveillance.Infrastructure.Tests;

/// <summary>Paths the tests work on, recorded at build time (the test binaries may live anywhere).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Infra => Path.Combine(Root, "infra");

    public static string LocalSettingsSample => Path.Combine(Root, "local.settings.sample.json");

    public static string PublishScript => Path.Combine(Root, "scripts", "publish-functionapp.sh");

    public static string FunctionAppProject => Path.Combine(Root, "src", "SafetySurveillance.Functions");

    public static string BicepPackageRoot { get; } = Metadata("BicepPackageRoot");

    private static string Metadata(string key)
    {
        var value = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value) || !Directory.Exists(value))
        {
            throw new InvalidOperationException($"Build-time path '{key}' = '{value}' does not exist; rebuild the test project.");
        }

        return value;
    }
}
