namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// How hard one dispatch tries one webhook before it records a failure and leaves the rest to the queue's
/// redelivery: exponential back-off with jitter on connection errors, timeouts, 5xx, 408 and 429, within a
/// bounded total time. Not an app setting: the defaults suit production, tests substitute shorter ones.
/// </summary>
public sealed record WebhookRetryPolicy
{
    /// <summary>The defaults: 4 attempts, 1 s doubling to at most 8 s, 15 s per attempt, 60 s in all.</summary>
    public static WebhookRetryPolicy Default { get; } = new();

    /// <summary>Attempts per dispatch, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The back-off before the second attempt; it doubles for each later one.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off (and the longest <c>Retry-After</c> honoured).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long one attempt may take before it counts as a timeout (Standard Webhooks suggests 15–30 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The most one dispatch spends on one webhook, back-off included; no attempt starts past it.</summary>
    public TimeSpan TotalBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The back-off before attempt <paramref name="attempt"/> (2 for the first retry): the exponential delay
    /// <c>FirstDelay × 2^(attempt−2)</c>, capped at <see cref="MaxDelay"/>, scaled by a random factor in [0.5, 1)
    /// ("equal jitter"), so synchronised failures do not retry in step while the back-off still grows.
    /// </summary>
    public TimeSpan DelayBefore(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 2);
        var exponential = FirstDelay.TotalMilliseconds * Math.Pow(2, attempt - 2);
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * Math.Clamp(random, 0, 1))));
    }
}
