using System.Text.Json.Nodes;

namespace SafetySurveillance.Infrastructure.Tests.Publishing;

[Collection(PublishedPackageCollection.Name)]
public sealed class PublishedPackageTests(PublishedPackage package)
{
    private static readonly string[] Functions =
    [
        "AcknowledgeAlert", "Dashboard", "DispatchGovernanceAlerts", "EvaluateAllSignals", "EvaluateSignals", "GetAlerts",
        "GetCompleteness", "GetFunnel", "GetPublicSummary", "GetSignals", "GetTrends", "Health", "IngestSafetyEvents",
        "ResolveAlert", "SubmitEvents",
    ];

    [Fact]
    public void The_zip_has_host_json_at_its_root_and_one_folder_per_function_with_its_function_json()
    {
        var functionFolders = package.Entries
            .Where(e => e.EndsWith("/function.json", StringComparison.Ordinal))
            .Select(e => e[..e.IndexOf('/', StringComparison.Ordinal)])
            .Order(StringComparer.Ordinal);

        Assert.Contains("host.json", package.Entries);
        Assert.Equal(Functions, functionFolders);
        Assert.DoesNotContain(package.Entries, e => e.Count(c => c == '/') > 1 && e.EndsWith("function.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_function_folder_of_the_project_is_in_the_zip()
    {
        var inProject = Directory.EnumerateFiles(Repository.FunctionAppProject, "function.json", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Functions, inProject);
    }

    [Fact]
    public void Host_json_starts_the_dll_the_zip_carries_with_dotnet_as_a_custom_handler()
    {
        var host = ReadJson("host.json");
        var description = host["customHandler"]!["description"]!;
        var dll = (string)description["arguments"]![0]!;

        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("dotnet", (string?)description["defaultExecutablePath"]);
        Assert.Contains(dll, package.Entries);
        Assert.Contains(Path.ChangeExtension(dll, ".runtimeconfig.json"), package.Entries);
        Assert.Contains(Path.ChangeExtension(dll, ".deps.json"), package.Entries);
        Assert.False((bool)host["customHandler"]!["enableForwardingHttpRequest"]!);
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)host["extensionBundle"]!["id"]);
    }

    [Fact]
    public void The_dll_targets_the_dotnet_version_the_Flex_runtime_provides()
    {
        var runtimeConfig = ReadJson("SafetySurveillance.Functions.runtimeconfig.json");
        var frameworks = runtimeConfig["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => (string)f!["name"]!)
                         ?? [(string)runtimeConfig["runtimeOptions"]!["framework"]!["name"]!];
        var infra = File.ReadAllText(Path.Combine(Repository.Infra, "app", "functionapp.bicep"));

        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        Assert.Contains($"param dotnetVersion string = '{Environment.Version.Major}.0'", infra, StringComparison.Ordinal);
    }

    [Fact]
    public void The_zip_carries_the_azurefunctions_folder_Flex_expects_and_no_native_launcher_or_web_config()
    {
        Assert.Contains(package.Entries, e => e.StartsWith(".azurefunctions/", StringComparison.Ordinal));
        Assert.DoesNotContain("web.config", package.Entries);
        Assert.DoesNotContain("SafetySurveillance.Functions", package.Entries);
    }

    [Fact]
    public void The_ingest_trigger_reads_a_batch_of_exact_bodies_from_the_configured_hub_and_consumer_group()
    {
        var binding = ReadJson("IngestSafetyEvents/function.json")["bindings"]!.AsArray().Single()!;

        Assert.Equal("eventHubTrigger", (string?)binding["type"]);
        Assert.Equal("many", (string?)binding["cardinality"]);
        // binary: the exact bytes (base64 on the wire), so invalid UTF-8 can be rejected and dead-lettered as sent.
        Assert.Equal("binary", (string?)binding["dataType"]);
        Assert.Equal("%EventHubName%", (string?)binding["eventHubName"]);
        Assert.Equal("%EventHubConsumerGroup%", (string?)binding["consumerGroup"]);
        Assert.Equal("EventHubConnection", (string?)binding["connection"]);
    }

    [Theory]
    [InlineData("SubmitEvents", "post", "trusts/{ods}/events")]
    [InlineData("GetSignals", "get", "signals")]
    [InlineData("Health", "get", "health")]
    public void Http_functions_have_their_route_and_method(string function, string method, string route)
    {
        var bindings = ReadJson($"{function}/function.json")["bindings"]!.AsArray();
        var trigger = bindings.Single(b => (string?)b!["type"] == "httpTrigger")!;

        Assert.Equal(route, (string?)trigger["route"]);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Contains(bindings, b => (string?)b!["type"] == "http" && (string?)b["name"] == "res");
    }

    [Fact]
    public void Submit_events_sends_through_the_app_not_an_output_binding_and_health_is_anonymous()
    {
        // An Event Hubs output binding cannot send through a trust's publisher endpoint, which ingestion requires,
        // so the gateway forwards with its own producer (Event Hubs Data Sender role) and declares only HTTP bindings.
        var submit = ReadJson("SubmitEvents/function.json")["bindings"]!.AsArray();
        var health = ReadJson("Health/function.json")["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "httpTrigger")!;

        Assert.Equal(["httpTrigger", "http"], submit.Select(b => (string?)b!["type"]));
        Assert.Equal("anonymous", (string?)health["authLevel"]);
    }

    private JsonNode ReadJson(string entry) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(package.Extracted, entry))) ?? throw new InvalidOperationException(entry);
}
