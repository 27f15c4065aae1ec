namespace SafetySurveillance.DevHost.Status;

/// <summary>Counters DevHost keeps while it drives the function app (thread-safe).</summary>
public sealed class DevHostStatus
{
    private long _eventsDelivered;
    private long _invocations;
    private long _failedInvocations;
    private long _checkpoints;

    /// <summary>Events handed to Event Hubs-triggered functions.</summary>
    public long EventsDelivered => Interlocked.Read(ref _eventsDelivered);

    /// <summary>Invocations that succeeded.</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>Invocations that failed after every retry.</summary>
    public long FailedInvocations => Interlocked.Read(ref _failedInvocations);

    /// <summary>Checkpoints written.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    internal void Delivered(int events, bool succeeded)
    {
        Interlocked.Add(ref _eventsDelivered, events);
        Interlocked.Increment(ref succeeded ? ref _invocations : ref _failedInvocations);
    }

    internal void Checkpointed() => Interlocked.Increment(ref _checkpoints);
}
