using Amqp;
using Amqp.Listener;
using Amqp.Sasl;
using SafetySurveillance.EventHubs.Emulator.Broker;
using SafetySurveillance.EventHubs.Emulator.Protocol;
using SafetySurveillance.EventHubs.Emulator.Security;
using SafetySurveillance.EventHubs.Emulator.Transport;

namespace SafetySurveillance.EventHubs.Emulator;

/// <summary>
/// A running Event Hubs emulator: plain AMQP 1.0 on <see cref="Port"/>, durable partition logs under
/// <see cref="EventHubsEmulatorOptions.DataDirectory"/>. Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed class EventHubsEmulator : IAsyncDisposable
{
    private const int HandshakeListeners = 4;

    private readonly EventHubsNamespace ns;
    private readonly SocketTransportProvider transport;
    private readonly ConnectionListener[] listeners;
    private readonly HealthEndpoint? health;
    private int disposed;

    private EventHubsEmulator(EventHubsEmulatorOptions options, EventHubsNamespace ns, SocketTransportProvider transport, ConnectionListener[] listeners, HealthEndpoint? health)
    {
        Options = options;
        this.ns = ns;
        this.transport = transport;
        this.listeners = listeners;
        this.health = health;
    }

    /// <summary>The options it was started with.</summary>
    public EventHubsEmulatorOptions Options { get; }

    /// <summary>The AMQP port it listens on.</summary>
    public int Port => transport.Port;

    /// <summary>The health endpoint's port, when one was asked for.</summary>
    public int? HealthPort => health?.Port;

    /// <summary>The namespace name from the configuration.</summary>
    public string NamespaceName => ns.Name;

    /// <summary>A connection string for the SDKs: <c>Endpoint=sb://localhost:{Port};SharedAccessKeyName=…;SharedAccessKey=…;UseDevelopmentEmulator=true</c>.</summary>
    public string GetConnectionString(string? eventHubName = null, string keyName = "RootManageSharedAccessKey", string key = "SAS_KEY_VALUE") =>
        $"Endpoint=sb://localhost:{Port};SharedAccessKeyName={keyName};SharedAccessKey={key};UseDevelopmentEmulator=true"
        + (eventHubName is null ? string.Empty : $";EntityPath={eventHubName}");

    /// <summary>Opens (and recovers) the partition logs, then starts listening.</summary>
    public static async Task<EventHubsEmulator> StartAsync(EventHubsEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Configuration.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var ns = await EventHubsNamespace.OpenAsync(options.Configuration, options.DataDirectory, options.Storage, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        SocketTransportProvider? transport = null;
        HealthEndpoint? health = null;
        try
        {
            transport = new SocketTransportProvider(options.ListenAddress, options.Port);
            var authorizer = new SasAuthorizer(options.Configuration.Emulator?.SharedAccessPolicies ?? [], options.TimeProvider);
            var container = new BrokerContainer(ns, authorizer, options.MaxMessageSize);
            container.CustomTransports[SocketTransportProvider.Scheme] = transport;
            var listeners = new ConnectionListener[HandshakeListeners];
            for (var i = 0; i < listeners.Length; i++)
            {
                var listener = new ConnectionListener(new Address($"{SocketTransportProvider.Scheme}://localhost:{transport.Port}"), container);
                listener.SASL.EnableAnonymousMechanism = true;
                listener.SASL.EnableMechanism(new Amqp.Types.Symbol("MSSBCBS"), SaslProfile.Anonymous);
                listener.AMQP.MaxSessionsPerConnection = 1000;
                listener.AMQP.MaxLinksPerSession = 1024;
                listener.AMQP.MaxFrameSize = 256 * 1024;
                listener.AMQP.IdleTimeout = 4 * 60 * 1000;
                listener.AMQP.ContainerId = "safetysurveillance-eventhubs-emulator";
                listeners[i] = listener;
            }

            if (options.HealthPort is { } healthPort)
            {
                health = new HealthEndpoint(options.ListenAddress, healthPort);
            }

            // AMQPNetLite's accept loops await without ConfigureAwait(false): start them off any caller's
            // SynchronizationContext (xunit's, a UI's) so the broker never runs on a context it does not own.
            await Task.Run(() =>
            {
                foreach (var listener in listeners)
                {
                    listener.Open();
                }
            }, cancellationToken).ConfigureAwait(false);

            return new EventHubsEmulator(options, ns, transport, listeners, health);
        }
        catch
        {
            transport?.Dispose();
            health?.Dispose();
            await ns.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops listening, closes connections, and closes the partition logs (all acknowledged events are on disk).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        health?.Dispose();
        foreach (var listener in listeners)
        {
            listener.Close();
        }

        transport.Dispose();
        await ns.DisposeAsync().ConfigureAwait(false);
    }
}
