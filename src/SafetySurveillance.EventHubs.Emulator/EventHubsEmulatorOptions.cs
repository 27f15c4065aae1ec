using System.Net;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator;

/// <summary>How to start an <see cref="EventHubsEmulator"/>.</summary>
public sealed record EventHubsEmulatorOptions
{
    /// <summary>The AMQP port; 0 picks a free one (read it back from <see cref="EventHubsEmulator.Port"/>). Default 5672.</summary>
    public int Port { get; init; } = 5672;

    /// <summary>The address to listen on. Default loopback; use <see cref="IPAddress.Any"/> to accept other machines.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Where partition logs live. Default <c>./.data/eventhubs</c>.</summary>
    public string DataDirectory { get; init; } = Path.Combine(".data", "eventhubs");

    /// <summary>Hubs, partitions, consumer groups and policies. Default: the official emulator's default configuration.</summary>
    public EmulatorConfiguration Configuration { get; init; } = EmulatorConfiguration.Default;

    /// <summary>Flush policy, segment size and retention.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>The largest message (a single event or a whole batch) accepted. Default 1 MiB, as the service and the official emulator.</summary>
    public int MaxMessageSize { get; init; } = 1024 * 1024;

    /// <summary>The HTTP health endpoint's port (<c>GET /health</c>); null for none, 0 for a free port.</summary>
    public int? HealthPort { get; init; }

    /// <summary>The clock for enqueued times, token expiry and retention.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
