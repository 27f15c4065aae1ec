namespace SafetySurveillance.EventHubs;

/// <summary>Options for the AMQP connection to an Event Hubs namespace.</summary>
public sealed class EventHubConnectionOptions
{
    /// <summary>The idle timeout the client announces; the peer sends heartbeats at half of it. Default 60 s.</summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long opening a connection, authorising, attaching a link or a management request may take. Default 60 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Connect to this address instead of the namespace host (e.g. through a gateway); tokens still name the namespace.</summary>
    public Uri? CustomEndpointAddress { get; set; }

    /// <summary>Use plain AMQP without TLS (default port 5672), as the development emulator needs. Connection strings set it with <c>UseDevelopmentEmulator=true</c>.</summary>
    public bool UseDevelopmentEmulator { get; set; }

    /// <summary>How long a shared access signature made from a key stays valid. Default 1 hour; tokens are renewed before they expire.</summary>
    public TimeSpan SharedAccessSignatureValidity { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The clock used for token expiry, back-off and refresh. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal EventHubConnectionOptions Clone() => (EventHubConnectionOptions)MemberwiseClone();
}
