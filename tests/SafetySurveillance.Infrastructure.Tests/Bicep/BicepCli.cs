using System.Text.RegularExpressions;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

internal sealed record BicepDiagnostic(string Severity, string Code, string Text);

internal sealed record BicepBuildResult(int ExitCode, string ArmJson, IReadOnlyList<BicepDiagnostic> Diagnostics, string RawOutput);

/// <summary>The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (no network, no az CLI).</summary>
internal static partial class BicepCli
{
    public static string ExecutablePath
    {
        get
        {
            var path = Path.Combine(Repository.BicepPackageRoot, "tools", "bicep");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("The Bicep CLI is missing from its NuGet package; run dotnet restore.", path);
            }

            // NuGet keeps the execute bit on Linux today; set it if an extraction lost it.
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("The tests use Azure.Bicep.CommandLine.linux-x64.");
            }

            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }

            return path;
        }
    }

    /// <summary>Compiles one Bicep file to ARM JSON (on stdout), with the linter on (infra/bicepconfig.json).</summary>
    public static async Task<BicepBuildResult> BuildAsync(string bicepFile, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(
            ExecutablePath,
            ["build", bicepFile, "--stdout", "--no-restore"],
            Path.GetDirectoryName(bicepFile)!,
            cancellationToken,
            // Keep the CLI quiet and offline: no telemetry, no update checks.
            new Dictionary<string, string?> { ["BICEP_TELEMETRY_ENABLED"] = "false", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        var diagnostics = DiagnosticLine().Matches(result.StandardError)
            .Select(m => new BicepDiagnostic(m.Groups["severity"].Value, m.Groups["code"].Value, m.Value))
            .ToList();
        return new BicepBuildResult(result.ExitCode, result.StandardOutput, diagnostics, result.StandardError);
    }

    // e.g. "/x/main.bicep(12,3) : Warning no-unused-params: Parameter "x" is declared but never used. [https://...]"
    [GeneratedRegex(@"^.*\(\d+,\d+\) : (?<severity>Error|Warning|Info) (?<code>[A-Za-z0-9-]+):.*$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
