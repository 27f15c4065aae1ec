using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Sending;

/// <summary>How a trust's events reach the service: Event Hubs publisher endpoint or the HTTPS gateway.</summary>
public interface ISafetyEventTransport : IAsyncDisposable
{
    /// <summary>A short name for progress lines.</summary>
    string Name { get; }

    /// <summary>Sends one trust's events, in order, as one or more batches.</summary>
    Task<TransportResult> SendAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>What happened to a transport call.</summary>
/// <param name="Accepted">Events the transport took (broker-acknowledged, or a 2xx from the gateway).</param>
/// <param name="Refused">Events the gateway refused with a 4xx answer (Event Hubs never refuses content).</param>
public readonly record struct TransportResult(int Accepted, int Refused)
{
    public static TransportResult operator +(TransportResult a, TransportResult b) => new(a.Accepted + b.Accepted, a.Refused + b.Refused);

    public static TransportResult Add(TransportResult a, TransportResult b) => a + b;
}
