using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>Runs a JS conformance scenario with <c>node</c> and returns the JSON line it prints.</summary>
internal static class NodeScript
{
    public static async Task<JsonNode> RunAsync(string scenario, object arguments, CancellationToken cancellationToken, string script = "conformance.mjs")
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(TestPaths.Script(script))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestPaths.Script(script));
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var errors = await stderr;
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"node printed no JSON (exit {process.ExitCode}).\nstdout: {output}\nstderr: {errors}");
        var json = JsonNode.Parse(line)!;
        if (json["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"The JS scenario '{scenario}' failed: {json["error"]?.ToJsonString()}\n{json["stack"]}\nstderr: {errors}");
        }

        return json["result"]!;
    }
}
