using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.Storage.Ledger;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.IngestSafetyEvents;

/// <summary>Creates the app's tables and containers at start (idempotent), so no invocation pays for it.</summary>
public sealed class StorageInitializer(TableServiceClient tables, BlobServiceClient blobs) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { SignalTableStore.TableName, TableEventLedger.TableName, DeadLetterStore.TableName })
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        await blobs.GetBlobContainerClient(DeadLetterStore.ContainerName).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
