using System.Diagnostics;
using System.Text;
using SafetySurveillance.TestInfrastructure;

namespace SafetySurveillance.EventHubs.Tests.CrossClient;

/// <summary>Runs a JavaScript file from this test project's <c>js/</c> folder with the repository's pinned node_modules.</summary>
internal static class Node
{
    public static async Task<string> RunAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var scriptPath = Path.Combine(AppContext.BaseDirectory, "js", script);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NODE_PATH"] = RepositoryPaths.NodeModules;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = Task.Run(async () => stdout.Append(await process.StandardOutput.ReadToEndAsync(cancellationToken)), cancellationToken);
        var readErr = Task.Run(async () => stderr.Append(await process.StandardError.ReadToEndAsync(cancellationToken)), cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(readOut, readErr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {stderr}\n{stdout}");
        }

        return stdout.ToString().Trim();
    }
}
