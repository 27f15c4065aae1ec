using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;

namespace SafetySurveillance.DevHost.Status;

/// <summary>
/// Prints one status line every few seconds while DevHost runs: events delivered to the function app, rejected events
/// (DeadLetters rows), signal rows, alerts, and the function app's restarts.
/// </summary>
public sealed class StatusLine(DevHostStatus status, FunctionApp.FunctionAppSupervisor app, IReadOnlyDictionary<string, string> settings, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = settings.GetValueOrDefault("Storage") ?? settings.GetValueOrDefault("AzureWebJobsStorage");
        if (string.IsNullOrEmpty(storage))
        {
            return;
        }

        var tables = new TableServiceClient(storage);
        var previous = "";
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var rejected = await CountAsync(tables, "DeadLetters", stoppingToken).ConfigureAwait(false);
            var rows = await CountAsync(tables, "Signals", stoppingToken).ConfigureAwait(false);
            var alerts = await CountAsync(tables, "Alerts", stoppingToken).ConfigureAwait(false);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{time.GetLocalNow():HH:mm:ss}] events in {status.EventsDelivered:N0} · rejected {rejected:N0} · signal rows {rows:N0} · alerts {alerts:N0} · invocations {status.Invocations:N0} ({status.FailedInvocations:N0} failed) · function app starts {app.Starts}");
            if (status.QueueMessages + status.QueueFailures + status.QueuePoisoned + status.TimerRuns > 0)
            {
                line += string.Create(CultureInfo.InvariantCulture,
                    $" · queue messages {status.QueueMessages:N0} ({status.QueueFailures:N0} failed, {status.QueuePoisoned:N0} poisoned) · timer runs {status.TimerRuns:N0}");
            }

            if (line[11..] != previous)
            {
                Console.WriteLine(line);
                previous = line[11..];
            }
        }
    }

    private static async Task<long> CountAsync(TableServiceClient tables, string name, CancellationToken cancellationToken)
    {
        try
        {
            long count = 0;
            await foreach (var _ in tables.GetTableClient(name).QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            return count;
        }
        catch (RequestFailedException)
        {
            return 0;
        }
    }
}
