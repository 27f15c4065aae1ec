using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Functions.Hosting;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>
/// Queue clients on the app's <c>Storage</c> account (connection string locally, <c>Storage__queueServiceUri</c> with
/// the managed identity in Azure), one per queue name, all with <see cref="QueueMessageEncoding.Base64"/>: the
/// Functions host's queue trigger expects base64 message text by default, so a message written as plain text would
/// fail to decode in the real host.
/// </summary>
public sealed class StorageQueues
{
    private readonly StorageOptions _storage;
    private readonly ConcurrentDictionary<string, QueueClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Creates the factory.</summary>
    public StorageQueues(IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage.Value;
    }

    /// <summary>The client of queue <paramref name="name"/> (one per name for the process).</summary>
    public QueueClient Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _clients.GetOrAdd(name, Create);
    }

    private QueueClient Create(string name)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(_storage.ConnectionString))
        {
            return new QueueClient(_storage.ConnectionString, name, options);
        }

        Uri service = _storage.QueueServiceUri ?? throw new InvalidOperationException("Set 'Storage' or 'Storage__queueServiceUri'.");
        var queueUri = new Uri(service.AbsoluteUri.TrimEnd('/') + "/" + name);
        return new QueueClient(queueUri, StorageClientsExtensions.Credential(_storage.Credential, _storage.ClientId), options);
    }
}
