using System.Collections.Concurrent;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Sending;

namespace SafetySurveillance.Simulator.Tests.Sending;

/// <summary>Records what each trust was asked to send.</summary>
internal sealed class RecordingTransport : ISafetyEventTransport
{
    public ConcurrentDictionary<string, ConcurrentQueue<SimulatedEvent>> ByTrust { get; } = new(StringComparer.Ordinal);

    public string Name => "recording";

    public Task<TransportResult> SendAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        var queue = ByTrust.GetOrAdd(trustOds, _ => new ConcurrentQueue<SimulatedEvent>());
        foreach (var e in events)
        {
            queue.Enqueue(e);
        }

        return Task.FromResult(new TransportResult(events.Count, 0));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
