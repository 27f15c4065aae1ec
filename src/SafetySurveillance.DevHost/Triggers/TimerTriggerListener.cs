using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Status;

namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// Drives one timer-triggered function as the Functions timer extension does (<c>TimerListener</c>):
/// <list type="bullet">
/// <item>the schedule (NCRONTAB, six fields, or a TimeSpan) from function.json, <c>%Setting%</c> resolved, in the
/// host's local time zone;</item>
/// <item>with <c>useMonitor</c> (the default, turned off for schedules that fire more than once a minute) the
/// schedule status is kept in <c>azure-webjobs-hosts/timers/{hostId}/Host.Functions.{Name}/status</c>; on start a
/// recorded next occurrence already past means occurrences were missed while the host was down, and the function
/// runs at once with <c>IsPastDue: true</c> (one run, however many were missed);</item>
/// <item>otherwise <c>runOnStartup</c> runs it at once; then it runs at each occurrence;</item>
/// <item>the function-level retry policy applies (the timer trigger supports it); a failed run does not stop the
/// schedule, and the status is updated after every run.</item>
/// </list>
/// The host also holds a blob lease so one instance runs the timer; DevHost is a single instance and takes none.
/// </summary>
public sealed partial class TimerTriggerListener : BackgroundService
{
    private readonly FunctionDefinition _function;
    private readonly TimerTriggerDefinition _trigger;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly FunctionInvoker _invoker;
    private readonly DevHostStatus _status;
    private readonly Func<Task> _appStarted;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the listener for <paramref name="function"/>, which must have a <c>timerTrigger</c>; <paramref name="hostId"/> names its status blobs.</summary>
    public TimerTriggerListener(
        FunctionDefinition function,
        string hostId,
        IReadOnlyDictionary<string, string> settings,
        FunctionInvoker invoker,
        DevHostStatus status,
        FunctionAppSupervisor app,
        TimeProvider time,
        ILogger<TimerTriggerListener> logger)
        : this(function, hostId, settings, invoker, status, () => app.Started, time, logger)
    {
    }

    /// <summary>Creates the listener with an explicit readiness signal (tests: a handler that is already running).</summary>
    internal TimerTriggerListener(
        FunctionDefinition function,
        string hostId,
        IReadOnlyDictionary<string, string> settings,
        FunctionInvoker invoker,
        DevHostStatus status,
        Func<Task> appStarted,
        TimeProvider time,
        ILogger<TimerTriggerListener> logger)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
        _trigger = TimerTriggerDefinition.From(function.Trigger);
        HostId = hostId;
        _settings = settings;
        _invoker = invoker;
        _status = status;
        _appStarted = appStarted;
        _time = time;
        _logger = logger;
    }

    /// <summary>The host id that names the status blobs.</summary>
    public string HostId { get; }

    /// <summary>
    /// The host id as the Functions host picks it: the <c>AzureFunctionsWebHost__hostid</c> setting when set, else
    /// (outside Azure) the machine name and a hash of the app folder, lower-case, at most 32 characters.
    /// </summary>
    public static string DefaultHostId(IReadOnlyDictionary<string, string> settings, string appRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(appRoot);
        var configured = settings.GetValueOrDefault("AzureFunctionsWebHost__hostid") ?? Environment.GetEnvironmentVariable("AzureFunctionsWebHost__hostid");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var hash = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(appRoot))), 0);
        var id = $"{Environment.MachineName}-{hash.ToString(CultureInfo.InvariantCulture)}".ToLowerInvariant();
        id = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        return (id.Length > 32 ? id[..32] : id).TrimEnd('-');
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _appStarted().WaitAsync(stoppingToken).ConfigureAwait(false);
        string? Setting(string name) => _settings.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name);
        TimerScheduleExpression schedule;
        try
        {
            schedule = TimerScheduleExpression.Parse(_trigger.ResolveSchedule(Setting), _time.LocalTimeZone);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            // The host reports the function as in error and runs the others.
            LogBadSchedule(_logger, ex, _function.Name, _trigger.Schedule);
            return;
        }

        var now = Now(schedule);
        var timerName = TimerScheduleMonitor.TimerName(_function.Name);
        TimerScheduleMonitor? monitor = null;
        if (_trigger.UseMonitor && !schedule.IsSubMinute(now))
        {
            var storage = Setting("AzureWebJobsStorage")
                ?? throw new InvalidOperationException($"{_function.Name}: AzureWebJobsStorage is not set; the timer's schedule status is kept there.");
            monitor = new TimerScheduleMonitor(storage, HostId);
        }

        var isPastDue = false;
        TimerScheduleStatus? status = null;
        if (monitor is not null)
        {
            var recorded = await monitor.GetStatusAsync(timerName, stoppingToken).ConfigureAwait(false);
            (var pastDue, status) = await monitor.CheckPastDueAsync(timerName, now, schedule, recorded, stoppingToken).ConfigureAwait(false);
            isPastDue = pastDue > TimeSpan.Zero;
        }

        status ??= new TimerScheduleStatus(TimerScheduleMonitor.Unset, schedule.GetNextOccurrence(now), TimerScheduleMonitor.Unset);
        LogListening(_logger, _function.Name, schedule.ToString(), schedule.TimeZone.Id, status.Next, monitor is not null, isPastDue, _trigger.RunOnStartup);
        var startup = isPastDue ? Startup.PastDue : _trigger.RunOnStartup ? Startup.RunOnStartup : Startup.None;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (startup == Startup.None)
                {
                    var wait = status.Next - _time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
                    }
                }

                status = await InvokeAsync(schedule, monitor, timerName, status, startup, stoppingToken).ConfigureAwait(false);
                startup = Startup.None;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<TimerScheduleStatus> InvokeAsync(
        TimerScheduleExpression schedule, TimerScheduleMonitor? monitor, string timerName, TimerScheduleStatus status, Startup startup, CancellationToken stoppingToken)
    {
        var invocationTime = Now(schedule);
        var info = new TimerTriggerInfo(new TimerTriggerSchedule(), monitor is null ? null : status, startup == Startup.PastDue);
        var request = new SystemBindingData(_function.Name, invocationTime.UtcDateTime, Guid.NewGuid()).AddTo(info.ToInvocationRequest(_trigger.Name));
        if (startup == Startup.PastDue)
        {
            LogPastDue(_logger, _function.Name, status.Next);
        }

        var answer = await _invoker.InvokeWithRetriesAsync(_function, request, stoppingToken).ConfigureAwait(false);
        _status.TimerFired(answer is not null);

        // A timer that fires a little early would compute the same 'Next' again: base the next occurrence on the
        // scheduled time then (the host's adjustment).
        var basis = startup == Startup.None && status.Next > invocationTime ? status.Next : invocationTime;
        var next = new TimerScheduleStatus(basis, schedule.GetNextOccurrence(basis), basis);
        if (monitor is not null)
        {
            try
            {
                await monitor.UpdateStatusAsync(timerName, next, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RequestFailedException or AggregateException)
            {
                // Best effort, as in the host: the schedule goes on.
                LogStatusFailed(_logger, ex, _function.Name);
            }
        }

        return next;
    }

    private DateTimeOffset Now(TimerScheduleExpression schedule) => TimeZoneInfo.ConvertTime(_time.GetUtcNow(), schedule.TimeZone);

    private enum Startup
    {
        None,
        PastDue,
        RunOnStartup,
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "{Function} scheduled {Schedule} ({TimeZone}); next {Next:o}; monitor {Monitor}; past due {PastDue}; run on startup {RunOnStartup}")]
    private static partial void LogListening(ILogger logger, string function, string schedule, string timeZone, DateTimeOffset next, bool monitor, bool pastDue, bool runOnStartup);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "{Function}: the schedule '{Schedule}' is not valid; the function will not run")]
    private static partial void LogBadSchedule(ILogger logger, Exception exception, string function, string schedule);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "{Function} is past due (the occurrence at {Next:o} was missed); running it now")]
    private static partial void LogPastDue(ILogger logger, string function, DateTimeOffset next);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "{Function}: recording the schedule status failed")]
    private static partial void LogStatusFailed(ILogger logger, Exception exception, string function);
}
