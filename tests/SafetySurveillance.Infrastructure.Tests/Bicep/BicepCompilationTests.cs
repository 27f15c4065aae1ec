using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

public sealed partial class BicepCompilationTests
{
    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repository.Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.Infra, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_bicep_file_compiles_with_no_linter_finding(string relativePath)
    {
        var result = await BicepCli.BuildAsync(Path.Combine(Repository.Infra, relativePath), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, $"bicep build {relativePath} failed:\n{result.RawOutput}");
        Assert.True(result.Diagnostics.Count == 0, $"bicep build {relativePath} reported:\n{result.RawOutput}");
        Assert.NotNull(JsonNode.Parse(result.ArmJson)?["$schema"]);
    }

    [Fact]
    public void There_are_bicep_files_to_compile()
    {
        var files = BicepFiles().Select(row => row.Data).ToList();

        Assert.Contains("main.bicep", files);
        Assert.True(files.Count >= 8, string.Join(", ", files));
    }

    [Fact]
    public async Task A_linter_warning_fails_the_build_under_the_repository_configuration()
    {
        // The same bicepconfig.json, beside a file with an unused parameter (a default-warning rule).
        var directory = Directory.CreateTempSubdirectory("bicep-lint-");
        try
        {
            File.Copy(Path.Combine(Repository.Infra, "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n", TestContext.Current.CancellationToken);

            var result = await BicepCli.BuildAsync(file, TestContext.Current.CancellationToken);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(result.Diagnostics, d => d is { Severity: "Error", Code: "no-unused-params" });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_configured_linter_rule_is_an_error()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        Assert.True((bool)config["analyzers"]!["core"]!["enabled"]!);
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Equal("error", (string)rule.Value!["level"]!));
    }

    [Fact]
    public void No_bicep_file_uses_a_registry_module_that_needs_network_to_compile()
    {
        var offenders = Directory.EnumerateFiles(Repository.Infra, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select(line => (file, line)))
            .Where(x => RegistryReference().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Repository.Infra, x.file)}: {x.line.Trim()}")
            .ToList();

        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"^\s*(module|extension|import)\b.*'(br|ts)[:/]")]
    private static partial Regex RegistryReference();
}
