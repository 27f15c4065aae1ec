namespace SafetySurveillance.Domain.Statistics;

/// <summary>
/// Follow-up completeness: the 12-month due rule and received/due with a Wilson interval.
/// </summary>
/// <remarks>
/// <para>
/// <b>Due rule.</b> A procedure performed on date d is due its 12-month follow-up on d + 12 months + g, where
/// g is a grace window (default 1 month) for the visit to happen and the report to arrive. Months are added with
/// <see cref="DateOnly.AddMonths"/>, which clamps to the end of a shorter month (31 January + 13 months is
/// 28 or 29 February). A procedure counts as due once its due date is on or before the as-of date.
/// </para>
/// <para>
/// <b>Cohorts.</b> Signal rows keep procedures and 12-month reports per procedure month; a month cohort is due
/// when its last day is due, so a partly due month is left out until all of it is (never counting a procedure
/// before it is due; at most one month later than the per-procedure rule).
/// </para>
/// <para>
/// The National Neuromodulation Registry reports completeness falling to about 55 % at 6–12 months, so the
/// rule is designed to be stated, not tuned: the grace window is a parameter of the data-completeness rule.
/// </para>
/// </remarks>
public static class FollowUpCompleteness
{
    /// <summary>Default grace window after the 12-month anniversary, in months.</summary>
    public const int DefaultGraceMonths = 1;

    /// <summary>The date a procedure becomes due its 12-month follow-up: d + 12 months + grace.</summary>
    public static DateOnly TwelveMonthDueDate(DateOnly procedureDate, int graceMonths = DefaultGraceMonths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(graceMonths);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(graceMonths, 120);
        return procedureDate.AddMonths(12 + graceMonths);
    }

    /// <summary>Whether a procedure is due its 12-month follow-up on <paramref name="asOf"/>.</summary>
    public static bool IsTwelveMonthDue(DateOnly procedureDate, DateOnly asOf, int graceMonths = DefaultGraceMonths)
        => TwelveMonthDueDate(procedureDate, graceMonths) <= asOf;

    /// <summary>
    /// Received/due with a Wilson interval, or null when nothing is due yet (completeness is then undefined,
    /// not 0 % or 100 %).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative counts, or more received than due.</exception>
    public static ProportionInterval? Completeness(long received, long due, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(received);
        ArgumentOutOfRangeException.ThrowIfNegative(due);
        if (received > due)
        {
            throw new ArgumentOutOfRangeException(nameof(received), received, "More follow-ups received than due; count only reports for due procedures.");
        }

        return due == 0 ? null : WilsonScore.Interval(received, due, confidence);
    }
}
