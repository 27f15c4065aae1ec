using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.DevHost.FunctionApp;

/// <summary>
/// Keeps the custom handler running on one port for the life of DevHost, restarting it when it exits
/// (as the Functions host restarts a worker that dies). Invocations that were in flight fail and are retried
/// by the trigger that sent them.
/// </summary>
public sealed partial class FunctionAppSupervisor : BackgroundService
{
    private readonly FunctionAppDefinition _app;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ILogger<FunctionAppSupervisor> _logger;
    private readonly TaskCompletionSource _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FunctionAppProcess? _current;

    /// <summary>Creates the supervisor; the handler is given a free port chosen now.</summary>
    public FunctionAppSupervisor(FunctionAppDefinition app, IReadOnlyDictionary<string, string> settings, ILogger<FunctionAppSupervisor> logger)
    {
        _app = app;
        _settings = settings;
        _logger = logger;
        Port = FreePort.Next()[0];
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
    }

    /// <summary>The handler's port (stable across restarts).</summary>
    public int Port { get; }

    /// <summary>Where invocations go.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many times the handler has been started.</summary>
    public int Starts { get; private set; }

    /// <summary>The running handler's process id (0 when none).</summary>
    public int ProcessId => _current is { HasExited: false } p ? p.ProcessId : 0;

    /// <summary>Completes when the handler has answered for the first time.</summary>
    public Task Started => _firstStart.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _current = await FunctionAppProcess.StartAsync(_app, _settings, Port, probe, _logger, TimeSpan.FromSeconds(60), stoppingToken).ConfigureAwait(false);
                Starts++;
                _firstStart.TrySetResult();
                await _current.WaitForExitAsync(stoppingToken).ConfigureAwait(false);
                LogExited(_logger, _current.RecentOutput);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                LogStartFailed(_logger, ex);
                _firstStart.TrySetException(ex);
            }
            finally
            {
                if (_current is not null)
                {
                    await _current.DisposeAsync().ConfigureAwait(false);
                    _current = null;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The function app exited; restarting it. Last output:\n{Output}")]
    private static partial void LogExited(ILogger logger, string output);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "The function app failed to start; retrying")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
