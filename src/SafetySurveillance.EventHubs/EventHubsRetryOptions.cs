namespace SafetySurveillance.EventHubs;

/// <summary>How operations and links are retried after transient failures.</summary>
public sealed class EventHubsRetryOptions
{
    /// <summary>How many times an operation is retried; 0 disables retries. Default 3.</summary>
    public int MaximumRetries { get; set; } = 3;

    /// <summary>The first back-off delay. Default 0.8 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>The longest back-off delay. Default 60 s.</summary>
    public TimeSpan MaximumDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one attempt may take. Default 60 s.</summary>
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether delays grow exponentially or stay fixed. Default exponential.</summary>
    public EventHubsRetryMode Mode { get; set; } = EventHubsRetryMode.Exponential;

    internal EventHubsRetryOptions Clone() => (EventHubsRetryOptions)MemberwiseClone();

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based), with ±20% jitter.</summary>
    internal TimeSpan CalculateDelay(int attempt)
    {
        var baseDelay = Mode == EventHubsRetryMode.Fixed
            ? Delay
            : TimeSpan.FromTicks((long)Math.Min(MaximumDelay.Ticks, Delay.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        var delay = TimeSpan.FromTicks((long)(baseDelay.Ticks * jitter));
        return delay > MaximumDelay ? MaximumDelay : delay;
    }
}

/// <summary>The shape of retry back-off.</summary>
public enum EventHubsRetryMode
{
    /// <summary>The same delay every time.</summary>
    Fixed,

    /// <summary>Delays that double up to the maximum.</summary>
    Exponential,
}
