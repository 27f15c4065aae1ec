using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

/// <summary>The settings function.json files name (the host resolves them, not the app) exist in Azure and locally.</summary>
public sealed partial class FunctionBindingSettingsTests(CompiledMainTemplate compiled)
{
    private readonly IReadOnlyList<string> _azure = AppSettings.FromTemplate(compiled.Template).Select(s => s.Name).ToList();

    public static TheoryData<string> FunctionJsonFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repository.FunctionAppProject, "function.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.FunctionAppProject, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionJsonFiles))]
    public void Every_binding_expression_and_connection_in_function_json_is_an_app_setting(string relativePath)
    {
        var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.FunctionAppProject, relativePath)))!["bindings"]!.AsArray();
        var expressions = bindings.SelectMany(b => b!.AsObject())
            .Select(p => p.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null)
            .OfType<string>()
            .SelectMany(text => BindingExpression().Matches(text).Select(m => m.Groups["name"].Value));
        var connections = bindings.Select(b => (string?)b!["connection"]).OfType<string>();
        var local = AppSettings.LocalSample();

        Assert.All(expressions, name =>
        {
            Assert.Contains(name, _azure);
            Assert.True(local.ContainsKey(name), $"local.settings.sample.json lacks {name}.");
        });
        Assert.All(connections, prefix =>
        {
            // An identity-based connection in Azure, a connection string locally.
            Assert.Contains($"{prefix}__credential", _azure);
            Assert.True(local.ContainsKey(prefix), $"local.settings.sample.json lacks {prefix}.");
        });
    }

    [Fact]
    public void Azure_yaml_deploys_the_function_app_project_to_the_resource_azd_finds_by_its_service_tag()
    {
        var yaml = File.ReadAllLines(Path.Combine(Repository.Root, "azure.yaml"));
        var service = yaml.SkipWhile(l => l.Trim() != "services:").Skip(1).First(l => !l.TrimStart().StartsWith('#')).Trim().TrimEnd(':');
        string Value(string key) => yaml.Select(l => l.Trim()).First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
        var site = compiled.Template.Single("Microsoft.Web/sites");
        var siteTemplate = compiled.Template.Module("functionapp").Properties["template"]!;
        var serviceTag = (string?)siteTemplate["parameters"]!["serviceName"]!["defaultValue"];

        Assert.Equal("function", Value("host"));
        Assert.Equal("dotnet", Value("language"));
        Assert.Equal("bicep", Value("provider"));
        Assert.True(File.Exists(Path.Combine(Repository.Root, Value("path"), Value("module") + ".bicep")));
        Assert.Equal(
            Path.GetFullPath(Repository.FunctionAppProject).TrimEnd('/'),
            Path.GetFullPath(Path.Combine(Repository.Root, Value("project"))).TrimEnd('/'));
        Assert.Equal(service, serviceTag);
        Assert.Contains("azd-service-name", site.Json["tags"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_:]+)%")]
    private static partial Regex BindingExpression();
}
