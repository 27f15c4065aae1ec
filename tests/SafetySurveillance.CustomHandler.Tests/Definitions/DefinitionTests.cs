using SafetySurveillance.CustomHandler.Definitions;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Definitions;

public sealed class DefinitionTests
{
    [Fact]
    public void Host_json_without_extension_settings_gets_the_Functions_defaults()
    {
        var host = HostDefinition.Parse("""{ "version": "2.0", "customHandler": { "description": { "defaultExecutablePath": "dotnet", "arguments": ["App.dll"] } } }""");

        Assert.Equal("dotnet", host.DefaultExecutablePath);
        Assert.Equal(["App.dll"], host.Arguments);
        Assert.Equal("api", host.HttpRoutePrefix);
        Assert.Equal(100, host.EventHubs.MaxEventBatchSize);
        Assert.Equal(1, host.EventHubs.BatchCheckpointFrequency);
        Assert.Equal(TimeSpan.FromMinutes(1), host.EventHubs.MaxWaitTime);
        Assert.Equal(5, host.Queues.MaxDequeueCount);
    }

    [Fact]
    public void Host_json_extension_settings_are_read()
    {
        var host = HostDefinition.Parse("""
            { "version": "2.0",
              "functionTimeout": "00:05:00",
              "extensions": {
                "http": { "routePrefix": "" },
                "eventHubs": { "maxEventBatchSize": 500, "minEventBatchSize": 50, "maxWaitTime": "00:00:02", "initialOffsetOptions": { "type": "fromEnd" } },
                "queues": { "maxDequeueCount": 3, "visibilityTimeout": "00:00:10" } } }
            """);

        Assert.Equal("", host.HttpRoutePrefix);
        Assert.Equal(TimeSpan.FromMinutes(5), host.FunctionTimeout);
        Assert.Equal(500, host.EventHubs.MaxEventBatchSize);
        Assert.Equal(50, host.EventHubs.MinEventBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(2), host.EventHubs.MaxWaitTime);
        Assert.Equal("fromEnd", host.EventHubs.InitialOffset);
        Assert.Equal(3, host.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(10), host.Queues.VisibilityTimeout);
    }

    [Fact]
    public void Function_json_gives_the_trigger_and_retry_policy()
    {
        var function = FunctionDefinition.Parse("IngestSafetyEvents", """
            { "bindings": [ { "type": "eventHubTrigger", "direction": "in", "name": "events", "eventHubName": "%EventHubName%",
                              "connection": "EventHubConnection", "cardinality": "many", "dataType": "string" } ],
              "retry": { "strategy": "exponentialBackoff", "maxRetryCount": 5, "minimumInterval": "00:00:01", "maximumInterval": "00:00:10" } }
            """);

        Assert.Equal("eventHubTrigger", function.Trigger.Type);
        Assert.Equal("events", function.Trigger.Name);
        Assert.Equal("many", function.Trigger.Get("cardinality"));
        Assert.Equal(5, function.Retry!.MaxRetryCount);
        Assert.Equal(TimeSpan.FromSeconds(1), function.Retry.DelayBefore(1));
        Assert.Equal(TimeSpan.FromSeconds(4), function.Retry.DelayBefore(3));
        Assert.Equal(TimeSpan.FromSeconds(10), function.Retry.DelayBefore(9));
    }

    [Fact]
    public void Setting_expressions_are_expanded_and_a_missing_setting_is_named()
    {
        var settings = new Dictionary<string, string> { ["EventHubName"] = "safety-events" };

        Assert.Equal("safety-events", FunctionAppDefinition.ResolveSettings("%EventHubName%", settings.GetValueOrDefault));
        var error = Assert.Throws<InvalidOperationException>(() => FunctionAppDefinition.ResolveSettings("%Nope%", settings.GetValueOrDefault));
        Assert.Contains("Nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_an_app_folder_finds_every_function_folder()
    {
        var root = Directory.CreateTempSubdirectory("fnapp-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "host.json"), """{ "version": "2.0" }""");
            foreach (var name in new[] { "Health", "GetSignals" })
            {
                Directory.CreateDirectory(Path.Combine(root, name));
                File.WriteAllText(Path.Combine(root, name, "function.json"), """{ "bindings": [ { "type": "httpTrigger", "direction": "in", "name": "req", "methods": ["get"] } ] }""");
            }

            Directory.CreateDirectory(Path.Combine(root, "wwwroot"));

            var app = FunctionAppDefinition.Load(root);

            Assert.Equal(["GetSignals", "Health"], app.Functions.Select(f => f.Name));
            Assert.Equal(["get"], app["health"].Trigger.GetArray("methods"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
