using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.DevHost.FunctionApp;

/// <summary>
/// Runs the custom handler the way the Functions host does: the executable and arguments from host.json,
/// a free port in <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, app settings as environment variables, and readiness
/// when <c>GET /</c> answers with any HTTP status.
/// </summary>
public sealed partial class FunctionAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputTail _output = new(400);
    private readonly ILogger _logger;

    private FunctionAppProcess(Process process, int port, ILogger logger)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        _logger = logger;
    }

    /// <summary>Set for the handler so it exits when its standard input closes (DevHost gone).</summary>
    public const string ParentWatchVariable = "DEVHOST_EXIT_ON_STDIN_EOF";

    /// <summary>The handler's port.</summary>
    public int Port { get; }

    /// <summary>Where invocations are sent.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The handler's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the handler is still running.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the handler printed last.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>Starts the handler and waits until it answers.</summary>
    public static async Task<FunctionAppProcess> StartAsync(
        FunctionAppDefinition app,
        IReadOnlyDictionary<string, string> settings,
        int port,
        HttpClient probe,
        ILogger logger,
        TimeSpan startTimeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(probe);
        var workingDirectory = string.IsNullOrEmpty(app.Host.WorkingDirectory)
            ? app.RootPath
            : Path.GetFullPath(app.Host.WorkingDirectory, app.RootPath);
        var executable = app.Host.DefaultExecutablePath;
        var candidate = Path.GetFullPath(executable, workingDirectory);
        if (File.Exists(candidate))
        {
            executable = candidate;
        }

        var start = ProcessGroups.NewSession(executable);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // The handler exits when this pipe closes, so a DevHost killed with SIGKILL leaves no orphan behind.
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        string Setting(string name) => settings.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name) ?? "";
        foreach (var argument in app.Host.Arguments)
        {
            start.ArgumentList.Add(FunctionAppDefinition.ResolveSettings(argument, Setting));
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = portText;
        start.Environment["FUNCTIONS_HTTPWORKER_PORT"] = portText;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = app.RootPath;
        start.Environment[ParentWatchVariable] = "stdin";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var handler = new FunctionAppProcess(process, port, logger);
        process.OutputDataReceived += (_, e) => handler._output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => handler._output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LogStarted(logger, process.Id, port);

        var deadline = DateTime.UtcNow + startTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The function app exited with code {process.ExitCode} before it answered.{Environment.NewLine}{handler.RecentOutput}");
            }

            try
            {
                using var response = await probe.GetAsync(handler.BaseAddress, cancellationToken).ConfigureAwait(false);
                return handler; // Any HTTP answer counts as ready, as in the Functions host.
            }
            catch (HttpRequestException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    await handler.DisposeAsync().ConfigureAwait(false);
                    throw new TimeoutException($"The function app did not answer on port {port} within {startTimeout}.{Environment.NewLine}{handler.RecentOutput}");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for the handler to exit.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignal.Send(_process.Id, PosixSignal.Interrupt);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Function app started as process {ProcessId} on port {Port}")]
    private static partial void LogStarted(ILogger logger, int processId, int port);
}
