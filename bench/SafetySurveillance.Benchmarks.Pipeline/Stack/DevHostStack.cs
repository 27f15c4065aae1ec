using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.Benchmarks.Pipeline.Stack;

/// <summary>What DevHost writes to devhost.json when it is ready.</summary>
internal sealed record StackEndpoints(string Storage, string EventHubs, string Http, int? AzuriteTablePort, int ProcessId, int? AzuriteProcessId = null);

/// <summary>
/// The local stack as a user runs it: DevHost as a process on a fresh temporary data folder (it starts Azurite,
/// hosts the Event Hubs emulator in-process and runs the function app as its child), on free ports.
/// </summary>
internal sealed class DevHostStack : IAsyncDisposable
{
    private readonly Process _devHost;
    private readonly OutputTail _output = new(200);

    private DevHostStack(Process devHost, string dataDirectory, string appPath)
    {
        _devHost = devHost;
        DataDirectory = dataDirectory;
        AppPath = appPath;
    }

    public string DataDirectory { get; }

    /// <summary>The function app folder DevHost runs (host.json lives there).</summary>
    public string AppPath { get; }

    public StackEndpoints Endpoints { get; private set; } = null!;

    public int DevHostProcessId => _devHost.Id;

    public string RecentOutput => _output.ToString();

    /// <summary>DevHost's latest status line (events in, signal rows, invocations …), if it has printed one.</summary>
    public string? LastStatusLine => RecentOutput.Split('\n').LastOrDefault(l => l.Contains("invocations", StringComparison.Ordinal))?.Trim();

    public static async Task<DevHostStack> StartAsync(string devHostDll, string appPath, string workingDirectory, int partitions, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("bench-stack-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in new[]
        {
            devHostDll,
            "--DevHost:AppPath", appPath,
            "--DevHost:DataDirectory", dataDirectory,
            "--DevHost:AzuriteDefaultPorts", "false",
            "--DevHost:EmulatorPort", "0",
            "--DevHost:HttpPort", FreePort.Next()[0].ToString(CultureInfo.InvariantCulture),
            "--DevHost:Partitions", partitions.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var stack = new DevHostStack(process, dataDirectory, appPath);
        process.OutputDataReceived += (_, e) => stack._output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => stack._output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endpointsFile = Path.Combine(dataDirectory, "devhost.json");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!File.Exists(endpointsFile))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"DevHost exited with {process.ExitCode}:\n{stack.RecentOutput}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"DevHost was not ready in 3 minutes:\n{stack.RecentOutput}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        stack.Endpoints = JsonSerializer.Deserialize<StackEndpoints>(await File.ReadAllTextAsync(endpointsFile, cancellationToken).ConfigureAwait(false))!;
        return stack;
    }

    /// <summary>The function app: DevHost's child running SafetySurveillance.Functions.dll (0 when none is running).</summary>
    public int FindFunctionAppProcessId() =>
        ProcFs.ProcessIds().FirstOrDefault(pid => ProcFs.ParentOf(pid) == _devHost.Id
            && ProcFs.CommandLine(pid).Contains("SafetySurveillance.Functions.dll", StringComparison.Ordinal));

    /// <summary>Azurite: the node process serving this stack's table port (0 when not found).</summary>
    public int FindAzuriteProcessId()
    {
        if (Endpoints.AzuriteProcessId is { } known && ProcFs.CommandLine(known).Contains("azurite", StringComparison.Ordinal))
        {
            return known;
        }

        if (Endpoints.AzuriteTablePort is not { } port)
        {
            return 0;
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        return ProcFs.ProcessIds().FirstOrDefault(pid =>
        {
            var cmd = ProcFs.CommandLine(pid);
            return cmd.Contains("azurite", StringComparison.Ordinal) && cmd.Contains("--tablePort " + portText, StringComparison.Ordinal);
        });
    }

    public async ValueTask DisposeAsync()
    {
        var azurite = FindAzuriteProcessId();
        if (!_devHost.HasExited)
        {
            PosixSignal.Send(_devHost.Id, PosixSignal.Interrupt);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _devHost.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _devHost.Kill(entireProcessTree: true);
            }
        }

        // DevHost stops Azurite itself; one still serving this stack's port is stopped as DevHost would (SIGINT).
        if (azurite != 0 && ProcFs.CommandLine(azurite).Contains("azurite", StringComparison.Ordinal))
        {
            PosixSignal.Send(azurite, PosixSignal.Interrupt);
            await Task.Delay(2000).ConfigureAwait(false);
        }

        _devHost.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Left in the temp folder.
        }
    }
}
