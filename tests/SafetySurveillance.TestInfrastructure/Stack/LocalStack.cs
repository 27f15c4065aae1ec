using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using SafetySurveillance.LocalServices.Processes;
namespace SafetySurveillance.TestInfrastructure.Stack;

/// <summary>What DevHost wrote to devhost.json (<paramref name="Maildev"/>: maildev's web interface, its REST API under <c>api/</c>).</summary>
public sealed record StackEndpoints(string Storage, string EventHubs, string Http, int? AzuriteTablePort, int ProcessId, string? Maildev = null);

/// <summary>
/// The whole local stack as a user runs it: DevHost as a process (it starts Azurite, hosts the Event Hubs emulator and
/// runs the function app as a custom handler child), on free ports, with a throw-away data folder. The test project
/// must build DevHost and the function app (project references with <c>ReferenceOutputAssembly="false"</c>): they are
/// run from the sibling output folders.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    private readonly int _httpPort;
    private readonly IReadOnlyList<string> _arguments;
    private readonly OutputTail _output = new(400);
    private Process? _devHost;

    private LocalStack(string dataDirectory, int httpPort, IReadOnlyList<string> arguments)
    {
        DataDirectory = dataDirectory;
        _httpPort = httpPort;
        _arguments = arguments;
    }

    /// <summary>The data folder (Azurite, emulator logs, devhost.json).</summary>
    public string DataDirectory { get; }

    /// <summary>Where the running DevHost serves.</summary>
    public StackEndpoints Endpoints { get; private set; } = null!;

    /// <summary>DevHost's recent output, for failure messages.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>The function app's process id (the DevHost child), found through /proc.</summary>
    public int FunctionAppProcessId =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit)).Select(int.Parse)
            .FirstOrDefault(pid => ParentOf(pid) == _devHost?.Id && CommandLine(pid).Contains("SafetySurveillance.Functions.dll", StringComparison.Ordinal));

    /// <summary>Starts a stack on a new data folder.</summary>
    /// <param name="cancellationToken">Cancels the wait for DevHost.</param>
    /// <param name="arguments">More DevHost arguments (e.g. <c>--DevHost:SettingsFile</c>, <c>path</c>).</param>
    public static async Task<LocalStack> StartAsync(CancellationToken cancellationToken, params IEnumerable<string> arguments)
    {
        var stack = new LocalStack(Directory.CreateTempSubdirectory("stack-").FullName, FreePort.Next()[0], [.. arguments]);
        await stack.StartDevHostAsync(cancellationToken).ConfigureAwait(false);
        return stack;
    }

    /// <summary>Starts DevHost (again) on this stack's data folder and waits until it is ready.</summary>
    public async Task StartDevHostAsync(CancellationToken cancellationToken)
    {
        var endpointsFile = Path.Combine(DataDirectory, "devhost.json");
        var previousWrite = File.Exists(endpointsFile) ? File.GetLastWriteTimeUtc(endpointsFile) : DateTime.MinValue;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var arg in new[]
        {
            Built("SafetySurveillance.DevHost", "SafetySurveillance.DevHost.dll"),
            "--DevHost:AppPath", Built("SafetySurveillance.Functions", null),
            "--DevHost:DataDirectory", DataDirectory,
            "--DevHost:AzuriteDefaultPorts", "false",
            "--DevHost:EmulatorPort", "0",
            "--DevHost:HttpPort", _httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(_arguments))
        {
            start.ArgumentList.Add(arg);
        }

        _devHost = new Process { StartInfo = start };
        _devHost.OutputDataReceived += (_, e) => _output.Add(e.Data);
        _devHost.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        _devHost.Start();
        _devHost.BeginOutputReadLine();
        _devHost.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!(File.Exists(endpointsFile) && File.GetLastWriteTimeUtc(endpointsFile) > previousWrite))
        {
            if (_devHost.HasExited)
            {
                throw new InvalidOperationException($"DevHost exited with {_devHost.ExitCode}:\n{RecentOutput}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"DevHost was not ready in time:\n{RecentOutput}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        Endpoints = JsonSerializer.Deserialize<StackEndpoints>(await File.ReadAllTextAsync(endpointsFile, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Kills DevHost with SIGKILL (its in-process emulator dies with it; Azurite and the function app are left to their fate).</summary>
    public async Task KillDevHostAsync()
    {
        if (_devHost is { HasExited: false } devHost)
        {
            PosixSignal.Send(devHost.Id, PosixSignal.Kill);
            await devHost.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A client for a table of the stack's storage.</summary>
    public TableClient Table(string name) => new(Endpoints.Storage, name);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_devHost is { HasExited: false } devHost)
        {
            PosixSignal.Send(devHost.Id, PosixSignal.Interrupt);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await devHost.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                devHost.Kill(entireProcessTree: true);
            }
        }

        // An Azurite left by a killed DevHost: stop it with SIGINT.
        if (Endpoints?.AzuriteTablePort is { } port)
        {
            foreach (var pid in ProcessesListeningOn(port))
            {
                PosixSignal.Send(pid, PosixSignal.Interrupt);
            }
        }

        _devHost?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }

    private static string Built(string project, string? file)
    {
        // Test output: {artifacts}/bin/SafetySurveillance.EndToEnd.Tests/{config}/ → siblings hold the other projects.
        var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration));
        return file is null ? folder : Path.Combine(folder, file);
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<int> ProcessesListeningOn(int port)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            var cmd = CommandLine(pid);
            if (cmd.Contains("azurite", StringComparison.Ordinal) && cmd.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }
}
