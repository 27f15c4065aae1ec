using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SafetySurveillance.Domain.Signals;

/// <summary>The granularity of a signal period.</summary>
public enum SignalPeriodKind
{
    /// <summary>A calendar month, written <c>2026-03</c>.</summary>
    Month = 0,

    /// <summary>A calendar quarter, written <c>2026-Q1</c>.</summary>
    Quarter = 1,

    /// <summary>Everything, written <c>all</c>.</summary>
    AllTime = 2,
}

/// <summary>
/// A period that signals are aggregated over: a calendar month, a calendar quarter or all time.
/// Text forms: <c>2026-03</c>, <c>2026-Q1</c>, <c>all</c>. They sort chronologically within a kind.
/// </summary>
public readonly record struct SignalPeriod : IComparable<SignalPeriod>
{
    private SignalPeriod(SignalPeriodKind kind, int year, int number)
    {
        Kind = kind;
        Year = year;
        Number = number;
    }

    /// <summary>Month, quarter or all time.</summary>
    public SignalPeriodKind Kind { get; }

    /// <summary>The calendar year (0 for all time).</summary>
    public int Year { get; }

    /// <summary>Month 1–12 or quarter 1–4 (0 for all time).</summary>
    public int Number { get; }

    /// <summary>All time.</summary>
    public static SignalPeriod AllTime => new(SignalPeriodKind.AllTime, 0, 0);

    /// <summary>A calendar month.</summary>
    public static SignalPeriod Month(int year, int month)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new SignalPeriod(SignalPeriodKind.Month, year, month);
    }

    /// <summary>A calendar quarter (Q1 = January–March).</summary>
    public static SignalPeriod Quarter(int year, int quarter)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        return new SignalPeriod(SignalPeriodKind.Quarter, year, quarter);
    }

    /// <summary>The month, quarter or all-time period containing <paramref name="date"/>.</summary>
    public static SignalPeriod Containing(DateOnly date, SignalPeriodKind kind) => kind switch
    {
        SignalPeriodKind.Month => Month(date.Year, date.Month),
        SignalPeriodKind.Quarter => Quarter(date.Year, ((date.Month - 1) / 3) + 1),
        SignalPeriodKind.AllTime => AllTime,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown period kind."),
    };

    /// <summary>First day of the period (<see cref="DateOnly.MinValue"/> for all time).</summary>
    public DateOnly FirstDay => Kind switch
    {
        SignalPeriodKind.Month => new DateOnly(Year, Number, 1),
        SignalPeriodKind.Quarter => new DateOnly(Year, ((Number - 1) * 3) + 1, 1),
        _ => DateOnly.MinValue,
    };

    /// <summary>Last day of the period (<see cref="DateOnly.MaxValue"/> for all time).</summary>
    public DateOnly LastDay => Kind switch
    {
        SignalPeriodKind.Month => FirstDay.AddMonths(1).AddDays(-1),
        SignalPeriodKind.Quarter => FirstDay.AddMonths(3).AddDays(-1),
        _ => DateOnly.MaxValue,
    };

    /// <summary>Whether <paramref name="date"/> falls inside the period.</summary>
    public bool Contains(DateOnly date) => date >= FirstDay && date <= LastDay;

    /// <summary>Parses <c>2026-03</c>, <c>2026-Q1</c> or <c>all</c> (exactly these forms).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SignalPeriod period)
    {
        period = default;
        if (text is null)
        {
            return false;
        }

        if (text == "all")
        {
            period = AllTime;
            return true;
        }

        if (text.Length == 7 && text[4] == '-' && TryYear(text.AsSpan(0, 4), out int year))
        {
            if (text[5] == 'Q' && text[6] is >= '1' and <= '4')
            {
                period = Quarter(year, text[6] - '0');
                return true;
            }

            if (char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6]))
            {
                int month = ((text[5] - '0') * 10) + (text[6] - '0');
                if (month is >= 1 and <= 12)
                {
                    period = Month(year, month);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Parses a period, throwing on malformed text.</summary>
    public static SignalPeriod Parse(string text)
        => TryParse(text, out SignalPeriod period) ? period : throw new FormatException($"'{text}' is not a signal period (2026-03, 2026-Q1 or all).");

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SignalPeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}"),
        SignalPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}"),
        _ => "all",
    };

    /// <inheritdoc />
    public int CompareTo(SignalPeriod other)
    {
        int byKind = Kind.CompareTo(other.Kind);
        if (byKind != 0)
        {
            return byKind;
        }

        int byYear = Year.CompareTo(other.Year);
        return byYear != 0 ? byYear : Number.CompareTo(other.Number);
    }

    /// <summary>Orders by kind, then chronologically.</summary>
    public static bool operator <(SignalPeriod left, SignalPeriod right) => left.CompareTo(right) < 0;

    /// <summary>Orders by kind, then chronologically.</summary>
    public static bool operator >(SignalPeriod left, SignalPeriod right) => left.CompareTo(right) > 0;

    /// <summary>Orders by kind, then chronologically.</summary>
    public static bool operator <=(SignalPeriod left, SignalPeriod right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by kind, then chronologically.</summary>
    public static bool operator >=(SignalPeriod left, SignalPeriod right) => left.CompareTo(right) >= 0;

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
    }

    private static bool TryYear(ReadOnlySpan<char> digits, out int year)
    {
        year = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            year = (year * 10) + (c - '0');
        }

        return year >= 1;
    }
}
