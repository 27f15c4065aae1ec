using System.Globalization;
using NCrontab;

namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// A timer trigger's schedule as the Functions timer extension reads it: an NCRONTAB expression with six fields
/// (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>), else a constant interval written as a TimeSpan
/// (<c>hh:mm:ss</c>). Cron occurrences are in <see cref="TimeZone"/> (the host's local time zone).
/// </summary>
internal sealed class TimerScheduleExpression
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan _interval;

    private TimerScheduleExpression(string text, CrontabSchedule? cron, TimeSpan interval, TimeZoneInfo zone)
    {
        Text = text;
        _cron = cron;
        _interval = interval;
        TimeZone = zone;
    }

    /// <summary>The expression.</summary>
    public string Text { get; }

    /// <summary>The time zone cron occurrences are computed in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> as the host refuses it.</summary>
    public static TimerScheduleExpression Parse(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var cron = CrontabSchedule.TryParse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (cron is not null)
        {
            return new TimerScheduleExpression(text, cron, TimeSpan.Zero, zone);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerScheduleExpression(text, null, interval, zone);
        }

        throw new FormatException($"The schedule '{text}' is neither an NCRONTAB expression with six fields (seconds first) nor a TimeSpan.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after)
    {
        if (_cron is null)
        {
            return after + _interval;
        }

        // NCRONTAB works on wall-clock time: take the local time, find the next match, and give it the offset the
        // zone has then. A wall-clock time skipped by a daylight-saving change does not occur; take the next one.
        var local = TimeZoneInfo.ConvertTime(after, TimeZone).DateTime;
        var next = _cron.GetNextOccurrence(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        while (TimeZone.IsInvalidTime(next))
        {
            next = _cron.GetNextOccurrence(next);
        }

        return new DateTimeOffset(next, TimeZone.GetUtcOffset(next));
    }

    /// <summary>
    /// Whether the schedule fires more than once in the minute after <paramref name="now"/>. The host turns schedule
    /// monitoring off for such schedules (and for intervals under a minute): no status blob, no past-due runs.
    /// </summary>
    public bool IsSubMinute(DateTimeOffset now)
    {
        if (_cron is null)
        {
            return _interval < TimeSpan.FromMinutes(1);
        }

        var first = GetNextOccurrence(now);
        return GetNextOccurrence(first) < now + TimeSpan.FromMinutes(1);
    }

    /// <inheritdoc />
    public override string ToString() => _cron is null ? $"Interval: '{Text}'" : $"Cron: '{Text}'";
}
