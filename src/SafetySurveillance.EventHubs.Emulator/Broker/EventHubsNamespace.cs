using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator.Broker;

/// <summary>The namespace: its hubs by name (case-insensitive, as in the service).</summary>
internal sealed class EventHubsNamespace : IAsyncDisposable
{
    private readonly Dictionary<string, EventHub> hubs;

    private EventHubsNamespace(string name, Dictionary<string, EventHub> hubs)
    {
        Name = name;
        this.hubs = hubs;
    }

    public string Name { get; }

    public IEnumerable<EventHub> Hubs => hubs.Values;

    public static async Task<EventHubsNamespace> OpenAsync(EmulatorConfiguration configuration, string dataDirectory, StorageOptions storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var hubs = new Dictionary<string, EventHub>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in configuration.Namespace.Entities)
        {
            hubs[entity.Name] = await EventHub.OpenAsync(entity, dataDirectory, storage, time, cancellationToken).ConfigureAwait(false);
        }

        return new EventHubsNamespace(configuration.Namespace.Name, hubs);
    }

    public EventHub? FindHub(string name) => hubs.GetValueOrDefault(name);

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in hubs.Values)
        {
            await hub.DisposeAsync().ConfigureAwait(false);
        }
    }
}
