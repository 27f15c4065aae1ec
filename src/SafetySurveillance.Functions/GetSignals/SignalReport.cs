using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>The body of a 200 answer from <c>GET /api/signals</c>: aggregates only, no identifiers of any kind.</summary>
/// <param name="Procedure">The procedure code asked for.</param>
/// <param name="Period">The period asked for.</param>
/// <param name="Scope">The scope asked for (<c>trust:*</c> etc.).</param>
/// <param name="AsOf">The date follow-up due counts are judged at (today, UTC).</param>
/// <param name="Confidence">Confidence level of every interval (0.95, Wilson score).</param>
/// <param name="Rows">One entry per stored row, ordered by scope key.</param>
public sealed record SignalReport(string Procedure, string Period, string Scope, DateOnly AsOf, double Confidence, IReadOnlyList<SignalRowReport> Rows)
{
    /// <summary>Confidence level of every interval in a report.</summary>
    public const double IntervalConfidence = 0.95;

    /// <summary>Builds the report of <paramref name="rows"/>.</summary>
    public static SignalReport Create(SignalQuery query, IEnumerable<(SignalKey Key, SignalRow Row)> rows, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        return new SignalReport(
            query.Procedure,
            query.Period.ToString(),
            query.Scope.ToString(),
            asOf,
            IntervalConfidence,
            rows.Select(r => SignalRowReport.Create(r.Key.Scope, r.Row.Totals, asOf)).ToList());
    }
}

/// <summary>One signal row: counts, rates with Wilson intervals, NICE special-arrangement flags, follow-up, outcomes, per-code counts.</summary>
/// <param name="Scope">e.g. <c>trust:RX1</c>.</param>
/// <param name="ScopeKind"><c>national</c>, <c>trust</c> or <c>device</c>.</param>
/// <param name="ScopeValue">ODS code or UDI-DI; null for national.</param>
/// <param name="Counts">Every counter of the row, by name (camel case of <see cref="SignalCount"/>).</param>
/// <param name="Rates">Adverse-event proportions of procedures (or of patients).</param>
/// <param name="NiceSpecialArrangements">Proportions of procedures meeting each NICE IPG739 special arrangement.</param>
/// <param name="FollowUp12Months">12-month follow-up due and received, as of the report date.</param>
/// <param name="OutcomeReports">Outcome reports received per timepoint.</param>
/// <param name="Outcomes">Outcome scores per measure and timepoint that have any report.</param>
/// <param name="ImdrfCodes">Adverse events per IMDRF code, codes in ordinal order.</param>
public sealed record SignalRowReport(
    string Scope,
    string ScopeKind,
    string? ScopeValue,
    IReadOnlyDictionary<string, long> Counts,
    AdverseEventRates Rates,
    NiceSpecialArrangements NiceSpecialArrangements,
    FollowUpReport FollowUp12Months,
    IReadOnlyDictionary<string, long> OutcomeReports,
    IReadOnlyList<OutcomeReport> Outcomes,
    IReadOnlyDictionary<string, long> ImdrfCodes)
{
    internal static SignalRowReport Create(SignalScope scope, SignalDelta totals, DateOnly asOf)
    {
        long procedures = totals[SignalCount.Procedures];
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (SignalCount count in Enum.GetValues<SignalCount>())
        {
            counts[char.ToLowerInvariant(count.ToString()[0]) + count.ToString()[1..]] = totals[count];
        }

        var reports = new Dictionary<string, long>(StringComparer.Ordinal);
        var outcomes = new List<OutcomeReport>();
        foreach (OutcomeTimepoint timepoint in Enum.GetValues<OutcomeTimepoint>())
        {
            reports[timepoint.ToString()] = totals.Reports(timepoint);
            foreach (OutcomeMeasure measure in Enum.GetValues<OutcomeMeasure>())
            {
                OutcomeMoments score = totals.Outcome(measure, timepoint);
                if (score.Count > 0)
                {
                    OutcomeMoments change = totals.ChangeFromBaseline(measure, timepoint);
                    outcomes.Add(new OutcomeReport(
                        measure.ToString(),
                        timepoint.ToString(),
                        Summary.Of(score),
                        change.Count > 0 ? Summary.Of(change) : null,
                        Rate.Of(totals.Responders(measure, timepoint), score.Count)));
                }
            }
        }

        FollowUpTally followUp = totals.TwelveMonthFollowUp(asOf);
        return new SignalRowReport(
            scope.ToString(),
            scope.Kind switch { SignalScopeKind.Trust => "trust", SignalScopeKind.Device => "device", _ => "national" },
            scope.Value,
            counts,
            new AdverseEventRates(
                Rate.Of(totals[SignalCount.SeriousRelatedAdverseEvents], procedures),
                Rate.Of(totals[SignalCount.DeviceRelatedAdverseEvents], procedures),
                Rate.Of(totals[SignalCount.Revisions], procedures),
                Rate.Of(totals[SignalCount.Explants], procedures),
                Rate.Of(totals[SignalCount.Deaths], procedures),
                Rate.Of(totals[SignalCount.PatientsWithSeriousRelatedEvent], totals[SignalCount.FirstProcedures])),
            new NiceSpecialArrangements(
                Rate.Of(totals[SignalCount.MdtSelection], procedures),
                Rate.Of(totals[SignalCount.WrittenInformation], procedures),
                Rate.Of(totals[SignalCount.RegistryEntry], procedures)),
            new FollowUpReport(followUp.Due, followUp.Received, Rate.Of(followUp.Received, followUp.Due)),
            reports,
            outcomes,
            new SortedDictionary<string, long>(totals.ImdrfCodeCounts.ToDictionary(), StringComparer.Ordinal));
    }
}

/// <summary>
/// Adverse events as proportions of procedures (each event read as "a procedure with such an event", as the rules
/// do), and patients with a serious related event as a proportion of patients (first procedures).
/// </summary>
/// <param name="SeriousRelatedAdverseEvents">Serious device- or procedure-related events / procedures.</param>
/// <param name="DeviceRelatedAdverseEvents">Device-related events / procedures.</param>
/// <param name="Revisions">Revisions / procedures.</param>
/// <param name="Explants">Explants / procedures.</param>
/// <param name="Deaths">Deaths / procedures.</param>
/// <param name="PatientsWithSeriousRelatedEvent">Patients with a serious related event / patients.</param>
public sealed record AdverseEventRates(
    Rate SeriousRelatedAdverseEvents,
    Rate DeviceRelatedAdverseEvents,
    Rate Revisions,
    Rate Explants,
    Rate Deaths,
    Rate PatientsWithSeriousRelatedEvent);

/// <summary>NICE IPG739 1.2 special arrangements, as proportions of procedures.</summary>
/// <param name="MdtSelection">Patient selection by a multidisciplinary team.</param>
/// <param name="WrittenInformation">Written information given.</param>
/// <param name="RegistryEntry">Entered on the National Neuromodulation Registry.</param>
public sealed record NiceSpecialArrangements(Rate MdtSelection, Rate WrittenInformation, Rate RegistryEntry);

/// <summary>12-month follow-up.</summary>
/// <param name="Due">Procedures whose 12-month follow-up is due (per procedure-month cohort, with one month's grace).</param>
/// <param name="Received">12-month reports received for them.</param>
/// <param name="Completeness">Received / due; interval null while nothing is due.</param>
public sealed record FollowUpReport(long Due, long Received, Rate Completeness);

/// <summary>One measure at one timepoint.</summary>
/// <param name="Measure">PainNrs, Odi, Eq5dIndex or Pgic.</param>
/// <param name="Timepoint">Baseline, Month3, Month6, Month12 or Month24.</param>
/// <param name="Score">The scores, in the measure's own units.</param>
/// <param name="ChangeFromBaseline">Change from the patient's baseline, when baselines were known.</param>
/// <param name="Responders">Reports meeting the measure's responder definition / reports with the measure.</param>
public sealed record OutcomeReport(string Measure, string Timepoint, Summary Score, Summary? ChangeFromBaseline, Rate Responders);

/// <summary>Count, mean and standard deviation.</summary>
/// <param name="N">Observations.</param>
/// <param name="Mean">Mean, or null with none.</param>
/// <param name="StandardDeviation">Sample standard deviation, or null with fewer than two.</param>
public sealed record Summary(long N, double? Mean, double? StandardDeviation)
{
    internal static Summary Of(OutcomeMoments moments) => new(moments.Count, moments.Mean, moments.StandardDeviation);
}

/// <summary>A proportion x/n with its Wilson 95% interval.</summary>
/// <param name="Numerator">x.</param>
/// <param name="Denominator">n.</param>
/// <param name="Estimate">x/n, or null when n is 0.</param>
/// <param name="Lower">Wilson lower bound, or null when n is 0 or x exceeds n (not a proportion).</param>
/// <param name="Upper">Wilson upper bound, or null when n is 0 or x exceeds n.</param>
public sealed record Rate(long Numerator, long Denominator, double? Estimate, double? Lower, double? Upper)
{
    internal static Rate Of(long numerator, long denominator)
    {
        if (denominator <= 0)
        {
            return new Rate(numerator, denominator, null, null, null);
        }

        double estimate = numerator / (double)denominator;
        if (numerator < 0 || numerator > denominator)
        {
            return new Rate(numerator, denominator, estimate, null, null);
        }

        ProportionInterval interval = WilsonScore.Interval(numerator, denominator, SignalReport.IntervalConfidence);
        return new Rate(numerator, denominator, estimate, interval.Lower, interval.Upper);
    }
}
