using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Status;
using SafetySurveillance.DevHost.Triggers;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.DevHost.Tests.Triggers;

public sealed class TimerTriggerListenerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string FunctionName = "EvaluateAllSignals";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly string _hostId = UniqueName.Container("host");
    private TestFunctionApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestFunctionApp.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_one_second_schedule_fires_every_second_with_no_status_as_the_host_turns_monitoring_off()
    {
        await using var listener = await StartAsync("*/1 * * * * *", TimeProvider.System);
        var invocations = await _app.WaitForAsync(i => i.Count >= 3, Generous, listener.Task);

        foreach (var invocation in invocations)
        {
            var info = TimerTriggerInfo.Read(invocation.Request, "timer");
            Assert.False(info.IsPastDue);
            Assert.Null(info.ScheduleStatus);
            Assert.True(invocation.Request.TryGetMetadata(SystemBindingData.Key, out var sys));
            Assert.Equal(FunctionName, sys.GetProperty("MethodName").GetString());
        }

        // A lower bound only: three occurrences of a one-second schedule span at least two seconds.
        Assert.True(invocations[2].ReceivedAt - invocations[0].ReceivedAt >= TimeSpan.FromSeconds(1.5));
        Assert.False(await StatusBlob().ExistsAsync(TestContext.Current.CancellationToken));
        using var body = JsonDocument.Parse(invocations[0].Body);
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Data").GetProperty("timer").ValueKind);
    }

    [Fact]
    public async Task Occurrences_missed_while_the_host_was_down_run_once_at_start_with_IsPastDue_and_the_status_blob_follows()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 59, 58, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);

        // First run: the status is recorded on start, and the 10:00 occurrence runs on time.
        await using (var first = await StartAsync("0 0 * * * *", clock))
        {
            var recorded = await WaitForStatusAsync(s => s.Next == At(10, 0));
            Assert.Equal(DateTimeOffset.MinValue, recorded.Last);
            Assert.Empty(_app.Invocations);

            await AdvanceUntilAsync(clock, () => _app.Invocations.Count >= 1, first.Task);
            var onTime = TimerTriggerInfo.Read(_app.Invocations[0].Request, "timer");
            Assert.False(onTime.IsPastDue);
            Assert.Equal(At(10, 0), onTime.ScheduleStatus!.Next);

            // The clock moves a second at a time, so the run is at 10:00 or a moment after.
            await WaitForStatusAsync(s => s.Last >= At(10, 0) && s.Last < At(10, 1) && s.Next == At(11, 0));
        }

        // DevHost is down from 10:00 until 13:30: the 11:00, 12:00 and 13:00 occurrences are missed.
        clock.SetUtcNow(At(13, 30));
        await using var second = await StartAsync("0 0 * * * *", clock);
        await _app.WaitForAsync(i => i.Count >= 2, Generous, second.Task);

        var pastDue = TimerTriggerInfo.Read(_app.Invocations[1].Request, "timer");
        Assert.True(pastDue.IsPastDue);
        Assert.Equal(At(11, 0), pastDue.ScheduleStatus!.Next);
        Assert.InRange(pastDue.ScheduleStatus.Last, At(10, 0), At(10, 1));
        var after = await WaitForStatusAsync(s => s.Last == At(13, 30));
        Assert.Equal(At(14, 0), after.Next);
        Assert.Equal(2, _app.Invocations.Count);
    }

    [Fact]
    public async Task RunOnStartup_runs_at_once_without_IsPastDue_and_records_the_run()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 20, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);

        await using var listener = await StartAsync("0 0 * * * *", clock, runOnStartup: true);
        await _app.WaitForAsync(i => i.Count >= 1, Generous, listener.Task);

        var info = TimerTriggerInfo.Read(_app.Invocations[0].Request, "timer");
        Assert.False(info.IsPastDue);
        Assert.Equal(At(10, 0), info.ScheduleStatus!.Next);
        var status = await WaitForStatusAsync(s => s.Last == At(9, 20));
        Assert.Equal(At(10, 0), status.Next);
    }

    [Fact]
    public async Task The_schedule_comes_from_an_app_setting_and_a_changed_schedule_is_not_past_due()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 20, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);

        // Recorded under an hourly schedule at 08:00; now daily at 06:00: the old 'Next' (09:00) is past, but the
        // schedule changed, so the host re-bases the status instead of running the function as past due.
        await UploadStatusAsync(new TimerScheduleStatus(At(8, 0), At(9, 0), At(8, 0)));
        await using var listener = await StartAsync("%EvaluateAllSchedule%", clock, settings: new() { ["EvaluateAllSchedule"] = "0 0 6 * * *" });

        var status = await WaitForStatusAsync(s => s.Next == new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(DateTimeOffset.MinValue, status.Last);
        Assert.Empty(_app.Invocations);
    }

    [Fact]
    public async Task A_failing_run_is_retried_under_the_function_retry_policy_with_RetryContext()
    {
        _app.FailWhen = i => !i.Request.TryGetMetadata("RetryContext", out var context) || context.GetProperty("RetryCount").GetInt32() < 2;

        await using var listener = await StartAsync("0 0 0 1 1 *", TimeProvider.System, runOnStartup: true,
            retry: """, "retry": { "strategy": "fixedDelay", "maxRetryCount": 3, "delayInterval": "00:00:00.200" }""");
        var invocations = await _app.WaitForAsync(i => i.Count >= 3, Generous, listener.Task);
        await WaitUntilAsync(() => listener.Status.TimerRuns == 1);

        Assert.Equal([true, true, false], invocations.Select(i => i.Failed));
        Assert.Equal([1, 2], invocations.Skip(1).Select(i => i.Request.RetryContext!.RetryCount));
        Assert.Equal(0, listener.Status.FailedInvocations);
    }

    private static DateTimeOffset At(int hour, int minute) => new(2026, 11, 25, hour, minute, 0, TimeSpan.Zero);

    private BlobClient StatusBlob() =>
        new BlobContainerClient(azurite.ConnectionString, "azure-webjobs-hosts").GetBlobClient($"timers/{_hostId}/Host.Functions.{FunctionName}/status");

    private async Task UploadStatusAsync(TimerScheduleStatus status)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await StatusBlob().UploadAsync(BinaryData.FromObjectAsJson(status, CustomHandlerJson.Options), overwrite: true, TestContext.Current.CancellationToken);
    }

    private async Task<TimerScheduleStatus> WaitForStatusAsync(Func<TimerScheduleStatus, bool> condition)
    {
        using var deadline = new CancellationTokenSource(Generous);
        while (true)
        {
            if (await StatusBlob().ExistsAsync(TestContext.Current.CancellationToken))
            {
                var content = await StatusBlob().DownloadContentAsync(TestContext.Current.CancellationToken);
                var status = content.Value.Content.ToObjectFromJson<TimerScheduleStatus>(CustomHandlerJson.Options)!;
                if (condition(status))
                {
                    return status;
                }
            }

            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Generous);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    // The listener may not have started its wait when we move the clock: move it a second at a time until the run happens.
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition, Task listener)
    {
        using var deadline = new CancellationTokenSource(Generous);
        while (!condition())
        {
            if (listener.IsFaulted)
            {
                await listener;
            }

            deadline.Token.ThrowIfCancellationRequested();
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private async Task<RunningListener> StartAsync(string schedule, TimeProvider clock, bool runOnStartup = false, string retry = "", Dictionary<string, string>? settings = null)
    {
        var function = FunctionDefinition.Parse(FunctionName, $$"""
            { "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "{{schedule}}", "runOnStartup": {{(runOnStartup ? "true" : "false")}} } ]{{retry}} }
            """);
        settings ??= [];
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        var status = new DevHostStatus();
        var invoker = new FunctionInvoker(new HttpClient { BaseAddress = _app.BaseAddress }, TimeProvider.System, NullLogger<FunctionInvoker>.Instance);
        var listener = new TimerTriggerListener(function, _hostId, settings, invoker, status, () => Task.CompletedTask, clock, NullLogger<TimerTriggerListener>.Instance);
        await listener.StartAsync(TestContext.Current.CancellationToken);
        return new RunningListener(listener, status);
    }

    private sealed class RunningListener(BackgroundService listener, DevHostStatus status) : IAsyncDisposable
    {
        public DevHostStatus Status => status;

        public Task Task => listener.ExecuteTask ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }
}
