using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.LocalServices.Azurite;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.LocalServices.Tests.Azurite;

public sealed class AzuriteInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serves_tables_blobs_and_queues_on_loopback()
    {
        await using var azurite = await AzuriteInstance.StartAsync(AzuriteFixture.Options(), Ct);

        var table = new TableClient(azurite.ConnectionString, UniqueName.Table("Probe"));
        await table.CreateAsync(Ct);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Count"] = 42L }, Ct);
        var entity = await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: Ct);

        var container = new BlobContainerClient(azurite.ConnectionString, UniqueName.Container("probe"));
        await container.CreateAsync(cancellationToken: Ct);
        await container.UploadBlobAsync("b", BinaryData.FromString("hello"), Ct);
        var blob = await container.GetBlobClient("b").DownloadContentAsync(Ct);

        var queue = new QueueClient(azurite.ConnectionString, UniqueName.Container("probe"));
        await queue.CreateAsync(cancellationToken: Ct);
        await queue.SendMessageAsync("m", Ct);
        var message = await queue.ReceiveMessageAsync(cancellationToken: Ct);

        Assert.Equal(42L, entity.Value.GetInt64("Count"));
        Assert.Equal("hello", blob.Value.Content.ToString());
        Assert.Equal("m", message.Value.MessageText);
        Assert.Equal("127.0.0.1", azurite.TableEndpoint.Host);
    }

    [Fact]
    public async Task Two_instances_run_side_by_side_with_separate_data()
    {
        await using var first = await AzuriteInstance.StartAsync(AzuriteFixture.Options(), Ct);
        await using var second = await AzuriteInstance.StartAsync(AzuriteFixture.Options(), Ct);
        var name = UniqueName.Table("Side");

        await new TableClient(first.ConnectionString, name).CreateAsync(Ct);

        Assert.NotEqual(first.TableEndpoint.Port, second.TableEndpoint.Port);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        var exists = await new TableServiceClient(second.ConnectionString)
            .QueryAsync(t => t.Name == name, cancellationToken: Ct)
            .AnyAsync(Ct);
        Assert.False(exists);
    }

    [Fact]
    public async Task Stopping_with_SIGINT_keeps_writes_made_just_before_the_stop()
    {
        var name = UniqueName.Table("Durable");
        string dataDirectory;
        var first = await AzuriteInstance.StartAsync(AzuriteFixture.Options(Directory.CreateTempSubdirectory("azurite-keep-").FullName), Ct);
        try
        {
            dataDirectory = first.DataDirectory;
            var table = new TableClient(first.ConnectionString, name);
            await table.CreateAsync(Ct);
            var batch = Enumerable.Range(0, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))))
                .ToList();
            await table.SubmitTransactionAsync(batch, Ct);

            // Stop at once: Azurite's disk mode only autosaves every 5 s, so these rows survive only through the SIGINT flush.
            await first.StopAsync(Ct);
        }
        finally
        {
            await first.DisposeAsync();
        }

        try
        {
            await using var second = await AzuriteInstance.StartAsync(AzuriteFixture.Options(dataDirectory), Ct);
            var rows = await new TableClient(second.ConnectionString, name)
                .QueryAsync<TableEntity>(e => e.PartitionKey == "p", cancellationToken: Ct)
                .CountAsync(Ct);
            Assert.Equal(100, rows);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_throw_away_data_folder_is_deleted_on_dispose()
    {
        var azurite = await AzuriteInstance.StartAsync(AzuriteFixture.Options(), Ct);
        var folder = azurite.DataDirectory;
        Assert.True(Directory.Exists(folder));

        await azurite.DisposeAsync();

        Assert.False(azurite.IsRunning);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Killing_the_process_ends_it_at_once()
    {
        await using var azurite = await AzuriteInstance.StartAsync(AzuriteFixture.Options(inMemory: true), Ct);

        await azurite.KillAsync();

        Assert.False(azurite.IsRunning);
        await Assert.ThrowsAnyAsync<RequestFailedException>(async () =>
        {
            var client = new TableServiceClient(azurite.ConnectionString, new TableClientOptions { Retry = { MaxRetries = 0 } });
            await client.GetPropertiesAsync(Ct);
        });
    }
}
