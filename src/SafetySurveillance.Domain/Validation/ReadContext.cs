namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// What one read needs besides the payload: the problems found so far and the clock. Dates are judged
/// against UK time, taken as UTC+1 so that an event sent just after midnight in British Summer Time is not
/// called "in the future"; timestamps are allowed <see cref="ClockSkew"/> ahead of now.
/// </summary>
internal sealed class ReadContext
{
    /// <summary>How far ahead of our clock a sender's <c>time</c> may be (sender clocks drift).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Dates before this are implausible for this procedure (NICE IPG739 dates from 2022).</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    public ReadContext(DateTimeOffset now)
    {
        Now = now;
        LatestDate = DateOnly.FromDateTime(now.UtcDateTime.AddHours(1));
    }

    public ProblemList Problems { get; } = new();

    public DateTimeOffset Now { get; }

    /// <summary>Today's date in the UK at the latest (UTC+1).</summary>
    public DateOnly LatestDate { get; }

    public void Add(string path, string reason) => Problems.Add(path, reason);
}
