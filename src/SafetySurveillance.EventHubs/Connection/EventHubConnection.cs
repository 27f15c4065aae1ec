using Azure;
using Azure.Core;
using SafetySurveillance.EventHubs.Amqp;
using SafetySurveillance.EventHubs.Authorization;

namespace SafetySurveillance.EventHubs;

/// <summary>
/// One AMQP connection to an Event Hub, which several clients may share. Clients built from a connection
/// string own a private one. The connection is opened on first use and re-opened after a failure.
/// </summary>
public class EventHubConnection : IAsyncDisposable
{
    /// <summary>Creates a connection from a connection string whose <c>EntityPath</c> names the hub.</summary>
    public EventHubConnection(string connectionString)
        : this(connectionString, null, null)
    {
    }

    /// <summary>Creates a connection from a connection string and a hub name.</summary>
    public EventHubConnection(string connectionString, string? eventHubName, EventHubConnectionOptions? connectionOptions = null)
    {
        var properties = EventHubsConnectionStringProperties.Parse(connectionString);
        var options = connectionOptions?.Clone() ?? new EventHubConnectionOptions();
        options.UseDevelopmentEmulator |= properties.UseDevelopmentEmulator;
        var tokens = properties.SharedAccessSignature is { } signature
            ? CbsTokenProvider.FromSharedAccessSignature(new AzureSasCredential(signature), options.TimeProvider)
            : CbsTokenProvider.FromSharedAccessKey(new AzureNamedKeyCredential(properties.SharedAccessKeyName!, properties.SharedAccessKey!), options.SharedAccessSignatureValidity, options.TimeProvider);
        Scope = new AmqpConnectionScope(properties.Endpoint, properties.ResolveEventHubName(eventHubName), options.UseDevelopmentEmulator, tokens, options, options.TimeProvider);
    }

    /// <summary>Creates a connection that authorises with Entra ID tokens (CBS type <c>jwt</c>, scope <c>https://eventhubs.azure.net/.default</c>).</summary>
    public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, TokenCredential credential, EventHubConnectionOptions? connectionOptions = null)
        : this(fullyQualifiedNamespace, eventHubName, connectionOptions, _ => CbsTokenProvider.FromTokenCredential(Required(credential)))
    {
    }

    /// <summary>Creates a connection that signs tokens with a shared access key.</summary>
    public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, AzureNamedKeyCredential credential, EventHubConnectionOptions? connectionOptions = null)
        : this(fullyQualifiedNamespace, eventHubName, connectionOptions, options => CbsTokenProvider.FromSharedAccessKey(Required(credential), options.SharedAccessSignatureValidity, options.TimeProvider))
    {
    }

    /// <summary>Creates a connection that presents a pre-computed shared access signature.</summary>
    public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, AzureSasCredential credential, EventHubConnectionOptions? connectionOptions = null)
        : this(fullyQualifiedNamespace, eventHubName, connectionOptions, options => CbsTokenProvider.FromSharedAccessSignature(Required(credential), options.TimeProvider))
    {
    }

    /// <summary>For substitution in tests.</summary>
    protected EventHubConnection()
    {
        Scope = null!;
    }

    private EventHubConnection(string fullyQualifiedNamespace, string eventHubName, EventHubConnectionOptions? connectionOptions, Func<EventHubConnectionOptions, CbsTokenProvider> tokens)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullyQualifiedNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventHubName);
        var options = connectionOptions?.Clone() ?? new EventHubConnectionOptions();
        var endpoint = new Uri(fullyQualifiedNamespace.Contains("://", StringComparison.Ordinal) ? fullyQualifiedNamespace : "sb://" + fullyQualifiedNamespace);
        Scope = new AmqpConnectionScope(new UriBuilder(endpoint) { Scheme = "sb", Path = "/", Port = endpoint.IsDefaultPort ? -1 : endpoint.Port }.Uri, eventHubName, options.UseDevelopmentEmulator, tokens(options), options, options.TimeProvider);
    }

    /// <summary>The namespace host, e.g. <c>contoso.servicebus.windows.net</c>.</summary>
    public virtual string FullyQualifiedNamespace => Scope.FullyQualifiedNamespace;

    /// <summary>The hub this connection serves.</summary>
    public virtual string EventHubName => Scope.EventHubName;

    /// <summary>Whether <see cref="CloseAsync"/> has been called.</summary>
    public virtual bool IsClosed => Scope.IsClosed;

    internal AmqpConnectionScope Scope { get; }

    /// <summary>Closes the connection and every link on it.</summary>
    public virtual async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        await Scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private static T Required<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
