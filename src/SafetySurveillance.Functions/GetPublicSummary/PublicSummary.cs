using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.GetPublicSummary;

/// <summary>
/// The body of <c>GET /api/public/summary</c>: national and per-trust counts for one procedure and one ended quarter,
/// after small-number suppression (<see cref="SmallNumberSuppression"/>). Counts only: no rates, since a rate with
/// a published denominator would give its hidden numerator away.
/// </summary>
/// <param name="Procedure">The procedure code.</param>
/// <param name="Period">The quarter, e.g. <c>2026-Q1</c>.</param>
/// <param name="AsOf">The date the figures were read (they can still grow as late reports arrive).</param>
/// <param name="Suppression">How to read <c>"&lt;8"</c> and <c>"*"</c>.</param>
/// <param name="Measures">The measures, in order; each is a key of <paramref name="National"/> and of every trust's counts.</param>
/// <param name="National">National totals (the sum of the trusts' counts), exact or <c>"*"</c>.</param>
/// <param name="Trusts">One entry per trust with any record for the procedure in the quarter, by ODS code.</param>
public sealed record PublicSummary(
    string Procedure,
    string Period,
    DateOnly AsOf,
    string Suppression,
    IReadOnlyList<string> Measures,
    IReadOnlyDictionary<string, PublishedCount> National,
    IReadOnlyList<PublicTrustSummary> Trusts)
{
    /// <summary>The explanation sent with every summary.</summary>
    public const string SuppressionNote =
        "Counts of 1 to 7 for a trust are shown as \"<8\"; 0 is shown as 0. \"*\" marks a figure withheld so that no \"<8\" can be worked out by subtraction from the national total. Each measure is suppressed on its own; measures are not parts of one another.";

    /// <summary>
    /// The published measures. None is a sum or a subset of another (procedures; and among adverse events: serious
    /// device- or procedure-related, deaths, revisions, explants are independent flags), so suppression per
    /// measure cannot be undone across measures.
    /// </summary>
    public static IReadOnlyList<(string Name, SignalCount Count)> MeasureColumns { get; } =
    [
        ("procedures", SignalCount.Procedures),
        ("seriousRelatedAdverseEvents", SignalCount.SeriousRelatedAdverseEvents),
        ("deaths", SignalCount.Deaths),
        ("revisions", SignalCount.Revisions),
        ("explants", SignalCount.Explants),
    ];

    /// <summary>Builds the summary from each trust's totals (any order; duplicates are not expected).</summary>
    public static PublicSummary Create(PublicSummaryQuery query, IEnumerable<(string Trust, SignalDelta Totals)> trusts, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(trusts);
        var ordered = trusts.OrderBy(t => t.Trust, StringComparer.Ordinal).ToList();
        var national = new Dictionary<string, PublishedCount>(StringComparer.Ordinal);
        var perTrust = ordered.Select(_ => new Dictionary<string, PublishedCount>(StringComparer.Ordinal)).ToList();
        foreach (var (name, count) in MeasureColumns)
        {
            SuppressedColumn column = SmallNumberSuppression.Suppress(ordered.Select(t => t.Totals[count]).ToList());
            national[name] = column.Total;
            for (int i = 0; i < ordered.Count; i++)
            {
                perTrust[i][name] = column.Cells[i];
            }
        }

        return new PublicSummary(
            query.Procedure,
            query.Period.ToString(),
            asOf,
            SuppressionNote,
            MeasureColumns.Select(m => m.Name).ToList(),
            national,
            ordered.Select((t, i) => new PublicTrustSummary(t.Trust, perTrust[i])).ToList());
    }
}

/// <summary>One trust's published counts.</summary>
/// <param name="Trust">ODS code.</param>
/// <param name="Counts">Per measure: a number, <c>"&lt;8"</c> or <c>"*"</c>.</param>
public sealed record PublicTrustSummary(string Trust, IReadOnlyDictionary<string, PublishedCount> Counts);
