using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Dashboard;

namespace SafetySurveillance.Functions.GetCompleteness;

/// <summary>
/// One row of the audit completeness table: the NICE IPG739 special arrangements as proportions of procedures,
/// and 12-month follow-up received of due, each with a 95 % Wilson interval.
/// </summary>
/// <param name="Scope"><c>national</c> or the trust's ODS code.</param>
/// <param name="Procedures">Procedures counted.</param>
/// <param name="MdtSelection">Procedures with multidisciplinary patient selection.</param>
/// <param name="WrittenInformation">Procedures where written information was given.</param>
/// <param name="RegistryEntry">Procedures entered on the National Neuromodulation Registry.</param>
/// <param name="FollowUp12Months">12-month outcome reports received / due (per cohort month, with the grace months).</param>
public sealed record CompletenessRow(string Scope, long Procedures, Proportion MdtSelection, Proportion WrittenInformation, Proportion RegistryEntry, Proportion FollowUp12Months)
{
    /// <summary>The row of <paramref name="totals"/> as of <paramref name="asOf"/>.</summary>
    public static CompletenessRow Of(string scope, SignalDelta totals, DateOnly asOf, int graceMonths)
    {
        ArgumentNullException.ThrowIfNull(totals);
        long procedures = totals[SignalCount.Procedures];
        FollowUpTally followUp = totals.TwelveMonthFollowUp(asOf, graceMonths);
        return new CompletenessRow(
            scope,
            procedures,
            Proportion.Of(totals[SignalCount.MdtSelection], procedures),
            Proportion.Of(totals[SignalCount.WrittenInformation], procedures),
            Proportion.Of(totals[SignalCount.RegistryEntry], procedures),
            Proportion.Of(followUp.Received, followUp.Due));
    }
}

/// <summary>
/// The body of <c>GET /api/completeness</c>. Trusts the viewer may not see are absent altogether.
/// </summary>
/// <param name="Procedure">Procedure code.</param>
/// <param name="Period">The period (procedure cohorts).</param>
/// <param name="AsOf">The date follow-up due is judged at (today, UTC).</param>
/// <param name="Viewer">Who asked.</param>
/// <param name="Confidence">Confidence of every interval (0.95, Wilson).</param>
/// <param name="FollowUpTarget">The follow-up rule's target completeness, or null without a follow-up rule.</param>
/// <param name="GraceMonths">Months after 12 months before a follow-up counts as due.</param>
/// <param name="National">The national row, or null when there is none.</param>
/// <param name="Trusts">One row per visible trust, by ODS code.</param>
public sealed record CompletenessReport(
    string Procedure,
    string Period,
    DateOnly AsOf,
    Viewer Viewer,
    double Confidence,
    double? FollowUpTarget,
    int GraceMonths,
    CompletenessRow? National,
    IReadOnlyList<CompletenessRow> Trusts);
