namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Strict RFC 3339 parsing (§5.6): <c>full-date</c> is exactly <c>YYYY-MM-DD</c>; <c>date-time</c> is
/// <c>full-date "T" HH:MM:SS[.fraction] ("Z" / ±HH:MM)</c>, where "T" and "Z" may be lower case (§5.6 note) and
/// a fraction has at least one digit (digits beyond the 7th, .NET's 100 ns tick, are truncated).
/// <c>-00:00</c> is accepted and read as UTC. A leap second (<c>:60</c>) is accepted only where one can
/// occur, at 23:59:60 UTC, and is read as 23:59:59.9999999. No whitespace, no missing seconds, no
/// week dates, no comma decimal separator.
/// </summary>
internal static class Rfc3339
{
    public static bool TryParseFullDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || !TryParseFullDate(text[..10], out var date) || (text[10] != 'T' && text[10] != 't')
            || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute)
            || !TryDigits(text[17..19], out var second))
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var index = 19;
        long fractionTicks = 0;
        if (text[index] == '.')
        {
            index++;
            var start = index;
            long scale = TimeSpan.TicksPerSecond / 10;
            while (index < text.Length && char.IsAsciiDigit(text[index]))
            {
                fractionTicks += (text[index] - '0') * scale;
                scale /= 10;
                index++;
            }

            if (index == start)
            {
                return false;
            }
        }

        if (index >= text.Length)
        {
            return false;
        }

        TimeSpan offset;
        var zone = text[index..];
        if (zone is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':'
            && TryDigits(zone[1..3], out var offsetHours) && TryDigits(zone[4..6], out var offsetMinutes)
            && offsetHours <= 23 && offsetMinutes <= 59)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        var leapSecond = second == 60;
        var local = date.ToDateTime(new TimeOnly(hour, minute, leapSecond ? 59 : second));
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks + fractionTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        if (leapSecond)
        {
            var utc = new DateTime(utcTicks, DateTimeKind.Utc);
            if (utc.Hour != 23 || utc.Minute != 59)
            {
                return false;
            }

            fractionTicks = TimeSpan.TicksPerSecond - 1;
        }

        // DateTimeOffset allows offsets up to ±14:00 only; beyond that we keep the instant and report it in UTC.
        var instant = new DateTimeOffset(utcTicks + fractionTicks, TimeSpan.Zero);
        value = Math.Abs(offset.TotalHours) <= 14 ? instant.ToOffset(offset) : instant;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
