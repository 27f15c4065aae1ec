using System.Globalization;

namespace SafetySurveillance.Domain.Statistics;

/// <summary>Whether a figure describes the whole country or part of it.</summary>
public enum DisclosureLevel
{
    /// <summary>National totals: published exactly.</summary>
    National = 0,

    /// <summary>Trust, device or any other breakdown: small numbers suppressed, others rounded.</summary>
    SubNational = 1,
}

/// <summary>A count as it may be shown in public.</summary>
/// <param name="Value">The published number (exact, or rounded to the nearest 5), or null when suppressed.</param>
/// <param name="IsSuppressed">Whether the true count was 1–7 and is hidden.</param>
/// <param name="IsRounded">Whether <see cref="Value"/> was rounded.</param>
public readonly record struct PublishedCount(long? Value, bool IsSuppressed, bool IsRounded)
{
    /// <summary>The text shown for a suppressed count.</summary>
    public const string SuppressedMarker = "<8";

    /// <summary>The number, or <c>&lt;8</c> when suppressed.</summary>
    public override string ToString() => Display(SuppressedMarker);

    /// <summary>The number, or <paramref name="suppressedMarker"/> (NHS Digital prints <c>*</c>) when suppressed.</summary>
    public string Display(string suppressedMarker)
        => IsSuppressed ? suppressedMarker : Value!.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Small-number suppression for anything shown outside the access-controlled reviewer views.
/// </summary>
/// <remarks>
/// <para>
/// Follows the NHS Digital disclosure-control method for secondary-care statistics (HES/ECDS, from September
/// 2018): <b>national</b> counts are published unchanged; <b>sub-national</b> counts of 1–7 are suppressed and
/// every other sub-national count is rounded to the nearest 5. Zero is published as 0 (it discloses nothing
/// about an individual). Counts are whole numbers, so "nearest 5" never ties: remainders 1–2 round down, 3–4 up.
/// NHS Digital marks a suppressed cell with <c>*</c>; this product shows <c>&lt;8</c> because it tells the
/// reader the range, and <see cref="PublishedCount.Display"/> takes the marker when a report needs <c>*</c>.
/// </para>
/// <para>
/// Derived statistics (a mean, a rate) for a sub-national group of 1–7 individuals are suppressed too
/// (<see cref="CanPublishDerived"/>), and percentages are computed from the rounded numbers
/// (<see cref="Percentage"/>). Complex statistics that do not reveal individuals (funnel limits, CUSUM
/// values, confidence intervals) need no control, but the counts shown beside them do.
/// Source: https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018
/// </para>
/// </remarks>
public static class SmallNumberSuppression
{
    /// <summary>The largest count that is suppressed at sub-national level.</summary>
    public const long LargestSuppressed = 7;

    /// <summary>The count as it may be published.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public static PublishedCount Count(long count, DisclosureLevel level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (level == DisclosureLevel.National || count == 0)
        {
            return new PublishedCount(count, false, false);
        }

        if (count <= LargestSuppressed)
        {
            return new PublishedCount(null, true, false);
        }

        return new PublishedCount(RoundToNearestFive(count), false, true);
    }

    /// <summary>Whether a mean, rate or other derived figure about <paramref name="individuals"/> people may be shown.</summary>
    public static bool CanPublishDerived(long individuals, DisclosureLevel level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(individuals);
        return level == DisclosureLevel.National || individuals == 0 || individuals > LargestSuppressed;
    }

    /// <summary>
    /// A percentage computed from the published (rounded) numerator and denominator, or null when either is
    /// suppressed or the published denominator is 0.
    /// </summary>
    public static double? Percentage(long numerator, long denominator, DisclosureLevel level)
    {
        PublishedCount top = Count(numerator, level);
        PublishedCount bottom = Count(denominator, level);
        if (top.IsSuppressed || bottom.IsSuppressed || bottom.Value == 0)
        {
            return null;
        }

        return 100.0 * top.Value!.Value / bottom.Value!.Value;
    }

    private static long RoundToNearestFive(long count) => (count + 2) / 5 * 5;
}
