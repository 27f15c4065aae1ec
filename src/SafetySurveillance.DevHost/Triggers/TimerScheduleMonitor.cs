using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;

namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// The timer extension's <c>StorageScheduleMonitor</c>: each timer's <see cref="TimerScheduleStatus"/> as JSON in the
/// blob <c>azure-webjobs-hosts/timers/{hostId}/{timerName}/status</c> of <c>AzureWebJobsStorage</c>, and the
/// past-due check the host makes when it starts (<c>ScheduleMonitor.CheckPastDueAsync</c>).
/// </summary>
internal sealed class TimerScheduleMonitor
{
    /// <summary>The host's container.</summary>
    public const string ContainerName = "azure-webjobs-hosts";

    /// <summary>What the host records for a time it has not got (<c>DateTime.MinValue</c>).</summary>
    public static readonly DateTimeOffset Unset = DateTimeOffset.MinValue;

    // Anything before this counts as unset (the host's DefaultDateTimeThreshold).
    private static readonly DateTimeOffset UnsetThreshold = DateTimeOffset.MinValue.AddYears(1);

    private readonly BlobContainerClient _container;
    private readonly string _hostId;

    /// <summary>Creates the monitor on <paramref name="storageConnection"/> for host <paramref name="hostId"/>.</summary>
    public TimerScheduleMonitor(string storageConnection, string hostId)
    {
        _container = new BlobContainerClient(storageConnection, ContainerName);
        _hostId = hostId;
    }

    /// <summary>The timer name the host uses for a script function: <c>Host.Functions.{FunctionName}</c>.</summary>
    public static string TimerName(string functionName) => "Host.Functions." + functionName;

    /// <summary>The status blob's name.</summary>
    public string BlobName(string timerName) => $"timers/{_hostId}/{timerName}/status";

    /// <summary>The recorded status, or null when none was recorded; unset times come back as <see cref="Unset"/>.</summary>
    public async Task<TimerScheduleStatus?> GetStatusAsync(string timerName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(BlobName(timerName)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var status = content.Value.Content.ToObjectFromJson<TimerScheduleStatus>(CustomHandlerJson.Options);
            return status is null ? null : new TimerScheduleStatus(Safe(status.Last), Safe(status.Next), Safe(status.LastUpdated));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="status"/> (creating the container when missing).</summary>
    public async Task UpdateStatusAsync(string timerName, TimerScheduleStatus status, CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var json = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(status, CustomHandlerJson.Options.GetTypeInfo<TimerScheduleStatus>()));
        await _container.GetBlobClient(BlobName(timerName)).UploadAsync(json, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The host's start-up check: records an initial status when there is none, re-bases the status when the schedule
    /// changed, and answers how long the recorded next occurrence is overdue (zero: not past due) with the status to use.
    /// </summary>
    public async Task<(TimeSpan PastDue, TimerScheduleStatus Status)> CheckPastDueAsync(
        string timerName, DateTimeOffset now, TimerScheduleExpression schedule, TimerScheduleStatus? lastStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        now = TimeZoneInfo.ConvertTime(now, schedule.TimeZone);
        TimerScheduleStatus status;
        if (lastStatus is null)
        {
            // A new timer: record the next occurrence now, so one missed before the first run is still caught.
            status = new TimerScheduleStatus(Unset, schedule.GetNextOccurrence(now), now);
            await UpdateStatusAsync(timerName, status, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // 'Next' was computed from 'Last' (or from 'LastUpdated' before the first run): if the schedule gives a
            // different answer now, the schedule changed; re-base it, from now when the old answer is already past.
            var basis = lastStatus.Last > UnsetThreshold ? lastStatus.Last : lastStatus.LastUpdated > UnsetThreshold ? lastStatus.LastUpdated : now;
            var expected = schedule.GetNextOccurrence(basis);
            status = lastStatus;
            if (lastStatus.Next != expected)
            {
                if (now > expected)
                {
                    expected = schedule.GetNextOccurrence(now);
                    basis = now;
                }

                status = new TimerScheduleStatus(Unset, expected, basis);
                await UpdateStatusAsync(timerName, status, cancellationToken).ConfigureAwait(false);
            }
        }

        return (now > status.Next ? now - status.Next : TimeSpan.Zero, status);
    }

    private static DateTimeOffset Safe(DateTimeOffset value) => value < UnsetThreshold ? Unset : value;
}
