namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// The queues extension's polling delay (<c>RandomizedExponentialBackoffStrategy</c> between 100 ms and
/// <c>maxPollingInterval</c>): after a poll that found messages the delay drops to the minimum; after each empty poll
/// it grows by about 2^n × 100 ms (±20%) until it reaches the maximum.
/// </summary>
internal sealed class QueuePollingBackoff
{
    /// <summary>The shortest delay (the extension's <c>QueuePollingIntervals.Minimum</c>).</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(100);

    private const double RandomizationFactor = 0.2;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private TimeSpan _current;
    private int _exponent;

    /// <summary>Creates the strategy; <paramref name="maximum"/> below <see cref="Minimum"/> is raised to it.</summary>
    public QueuePollingBackoff(TimeSpan maximum, Random? random = null)
    {
        _maximum = maximum < Minimum ? Minimum : maximum;
        _random = random ?? Random.Shared;
        _current = Minimum;
    }

    /// <summary>The delay before the next poll, given whether messages were found since the last delay.</summary>
    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _current = Minimum;
            _exponent = 1;
        }
        else if (_current != _maximum)
        {
            var interval = Minimum;
            if (_exponent > 0)
            {
                var factor = 1.0 - RandomizationFactor + (_random.NextDouble() * 2 * RandomizationFactor);
                interval += TimeSpan.FromMilliseconds(factor * Math.Pow(2, _exponent - 1) * Minimum.TotalMilliseconds);
            }

            if (interval < _maximum)
            {
                _current = interval;
                _exponent++;
            }
            else
            {
                _current = _maximum;
            }
        }

        return _current;
    }
}
