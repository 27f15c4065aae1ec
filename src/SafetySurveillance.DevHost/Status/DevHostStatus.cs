namespace SafetySurveillance.DevHost.Status;

/// <summary>Counters DevHost keeps while it drives the function app (thread-safe).</summary>
public sealed class DevHostStatus
{
    private long _eventsDelivered;
    private long _invocations;
    private long _failedInvocations;
    private long _checkpoints;
    private long _queueMessages;
    private long _queueFailures;
    private long _queuePoisoned;
    private long _timerRuns;

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

    /// <summary>Queue messages whose invocation succeeded (each message is one invocation).</summary>
    public long QueueMessages => Interlocked.Read(ref _queueMessages);

    /// <summary>Queue message invocations that failed (the message is retried or moved to the poison queue).</summary>
    public long QueueFailures => Interlocked.Read(ref _queueFailures);

    /// <summary>Messages moved to a poison queue.</summary>
    public long QueuePoisoned => Interlocked.Read(ref _queuePoisoned);

    /// <summary>Timer-triggered invocations (succeeded or not).</summary>
    public long TimerRuns => Interlocked.Read(ref _timerRuns);

    internal void QueueMessageHandled(bool succeeded)
    {
        Interlocked.Increment(ref succeeded ? ref _queueMessages : ref _queueFailures);
        Interlocked.Increment(ref succeeded ? ref _invocations : ref _failedInvocations);
    }

    internal void QueueMessagePoisoned() => Interlocked.Increment(ref _queuePoisoned);

    internal void TimerFired(bool succeeded)
    {
        Interlocked.Increment(ref _timerRuns);
        Interlocked.Increment(ref succeeded ? ref _invocations : ref _failedInvocations);
    }
}
