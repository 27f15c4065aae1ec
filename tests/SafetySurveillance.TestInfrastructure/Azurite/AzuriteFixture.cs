using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SafetySurveillance.LocalServices.Azurite;
using Xunit;

namespace SafetySurveillance.TestInfrastructure.Azurite;

/// <summary>
/// xunit fixture: one real Azurite per test class (or collection) with a throw-away data folder,
/// stopped with SIGINT when the tests are done. Use unique table/container names per test.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? _instance;

    /// <summary>The running instance.</summary>
    public AzuriteInstance Instance => _instance ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <summary>Storage connection string for the running instance.</summary>
    public string ConnectionString => Instance.ConnectionString;

    /// <summary>A table service client for the running instance.</summary>
    public TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    /// <summary>A blob service client for the running instance.</summary>
    public BlobServiceClient CreateBlobServiceClient() => new(ConnectionString);

    /// <summary>A queue service client for the running instance.</summary>
    public QueueServiceClient CreateQueueServiceClient() => new(ConnectionString);

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        _instance = await AzuriteInstance.StartAsync(Options(), TestContext.Current.CancellationToken).ConfigureAwait(false);

    /// <summary>Options for a test Azurite: free ports, a throw-away folder, the repository's pinned package.</summary>
    public static AzuriteOptions Options(string? dataDirectory = null, bool inMemory = false) =>
        new() { NodeModulesDirectory = RepositoryPaths.NodeModules, DataDirectory = dataDirectory, InMemory = inMemory };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync().ConfigureAwait(false);
        }
    }
}
