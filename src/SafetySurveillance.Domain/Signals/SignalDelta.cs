using System.Collections.Frozen;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Domain.Signals;

/// <summary>Procedures and 12-month follow-ups received for one procedure month.</summary>
/// <param name="Procedures">Procedures performed in the month.</param>
/// <param name="Received">12-month outcome reports received for those procedures.</param>
public readonly record struct FollowUpCohort(long Procedures, long Received);

/// <summary>
/// The mergeable content of a signal row: integer counts, outcome sums and sums of squares, per-code counts,
/// and 12-month follow-up cohorts. Also the type of a batch's change to a row.
/// </summary>
/// <remarks>
/// <para>
/// <b>Monoid.</b> <see cref="Merge"/> adds every counter (and every per-code and per-cohort entry) and
/// <see cref="Empty"/> is all zeros. Because everything is a 64-bit integer, addition is exactly associative and
/// commutative, so any split of the same events into batches, merged in any order, gives the identical row.
/// Floating point would not (0.1 + 0.2 + 0.3 ≠ 0.1 + (0.2 + 0.3)); that is why EQ-5D is kept in thousandths.
/// Overflow is checked and cannot happen in practice (a sum of squares grows by at most 10⁶ per report).
/// </para>
/// <para>
/// <b>Mutability.</b> For speed at 20,000 events/s a delta is a mutable accumulator: <see cref="Add(SignalContribution)"/>
/// and <see cref="Add(SignalDelta)"/> change it in place, <see cref="Merge"/> returns a new one. It has value
/// equality; do not use it as a dictionary key while it can still change.
/// </para>
/// </remarks>
public sealed class SignalDelta : IEquatable<SignalDelta>
{
    internal const int CountKinds = 16;
    internal const int Timepoints = 5;
    private const int Moments = 3;

    private readonly long[] counts = new long[CountKinds];
    private readonly long[] outcomes = new long[OutcomeMeasures.Count * Timepoints * Moments];
    private readonly long[] changes = new long[OutcomeMeasures.Count * Timepoints * Moments];
    private readonly long[] responders = new long[OutcomeMeasures.Count * Timepoints];
    private readonly long[] reports = new long[Timepoints];
    private Dictionary<string, long>? codes;
    private SortedDictionary<int, FollowUpCohort>? cohorts;

    /// <summary>The identity of <see cref="Merge"/>: a new, all-zero delta.</summary>
    public static SignalDelta Empty => new();

    /// <summary>Whether every counter is zero.</summary>
    public bool IsEmpty => Equals(Empty);

    /// <summary>Counts per IMDRF code (only codes seen, never zero).</summary>
    public IReadOnlyDictionary<string, long> ImdrfCodeCounts => (IReadOnlyDictionary<string, long>?)codes ?? FrozenDictionary<string, long>.Empty;

    /// <summary>12-month follow-up cohorts by procedure month.</summary>
    public IEnumerable<KeyValuePair<SignalPeriod, FollowUpCohort>> FollowUpCohorts
    {
        get
        {
            if (cohorts is null)
            {
                yield break;
            }

            foreach (KeyValuePair<int, FollowUpCohort> entry in cohorts)
            {
                yield return new(MonthFromIndex(entry.Key), entry.Value);
            }
        }
    }

    /// <summary>A scalar counter.</summary>
    public long this[SignalCount count] => counts[(int)count];

    /// <summary>Returns a new delta holding <paramref name="left"/> + <paramref name="right"/>.</summary>
    public static SignalDelta Merge(SignalDelta left, SignalDelta right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        SignalDelta result = left.Clone();
        result.Add(right);
        return result;
    }

    /// <summary>A deep copy.</summary>
    public SignalDelta Clone()
    {
        var copy = new SignalDelta();
        copy.Add(this);
        return copy;
    }

    /// <summary>Adds another delta into this one, in place.</summary>
    public void Add(SignalDelta other)
    {
        ArgumentNullException.ThrowIfNull(other);
        AddArray(counts, other.counts);
        AddArray(outcomes, other.outcomes);
        AddArray(changes, other.changes);
        AddArray(responders, other.responders);
        AddArray(reports, other.reports);
        if (other.codes is not null)
        {
            foreach (KeyValuePair<string, long> entry in other.codes)
            {
                AddCode(entry.Key, entry.Value);
            }
        }

        if (other.cohorts is not null)
        {
            foreach (KeyValuePair<int, FollowUpCohort> entry in other.cohorts)
            {
                AddCohort(entry.Key, entry.Value.Procedures, entry.Value.Received);
            }
        }
    }

    /// <summary>Adds one event's contribution, in place.</summary>
    public void Add(SignalContribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        contribution.AddTo(this);
    }

    /// <summary>Count, Σx and Σx² of a measure at a timepoint.</summary>
    public OutcomeMoments Outcome(OutcomeMeasure measure, OutcomeTimepoint timepoint)
    {
        int i = MomentIndex(measure, timepoint);
        return new OutcomeMoments(outcomes[i], outcomes[i + 1], outcomes[i + 2], OutcomeMeasures.Scale(measure));
    }

    /// <summary>Count, Σ and Σ² of the change from baseline of a measure at a timepoint.</summary>
    public OutcomeMoments ChangeFromBaseline(OutcomeMeasure measure, OutcomeTimepoint timepoint)
    {
        int i = MomentIndex(measure, timepoint);
        return new OutcomeMoments(changes[i], changes[i + 1], changes[i + 2], OutcomeMeasures.Scale(measure));
    }

    /// <summary>Reports at a timepoint where the patient met the responder definition for the measure.</summary>
    public long Responders(OutcomeMeasure measure, OutcomeTimepoint timepoint) => responders[((int)measure * Timepoints) + (int)timepoint];

    /// <summary>Outcome reports received at a timepoint.</summary>
    public long Reports(OutcomeTimepoint timepoint) => reports[(int)timepoint];

    /// <summary>
    /// 12-month follow-up due and received as of <paramref name="asOf"/>: the sum over procedure-month cohorts
    /// whose last procedure is due (<see cref="FollowUpCompleteness.TwelveMonthDueDate"/> of the month's last
    /// day). Received counts only reports for due cohorts, capped at each cohort's procedures.
    /// </summary>
    public FollowUpTally TwelveMonthFollowUp(DateOnly asOf, int graceMonths = FollowUpCompleteness.DefaultGraceMonths)
    {
        long due = 0;
        long received = 0;
        if (cohorts is not null)
        {
            foreach (KeyValuePair<int, FollowUpCohort> entry in cohorts)
            {
                if (FollowUpCompleteness.TwelveMonthDueDate(MonthFromIndex(entry.Key).LastDay, graceMonths) <= asOf)
                {
                    due += entry.Value.Procedures;
                    received += Math.Min(entry.Value.Received, entry.Value.Procedures);
                }
            }
        }

        return new FollowUpTally(due, received);
    }

    /// <inheritdoc />
    public bool Equals(SignalDelta? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return counts.AsSpan().SequenceEqual(other.counts)
            && outcomes.AsSpan().SequenceEqual(other.outcomes)
            && changes.AsSpan().SequenceEqual(other.changes)
            && responders.AsSpan().SequenceEqual(other.responders)
            && reports.AsSpan().SequenceEqual(other.reports)
            && SameEntries(codes, other.codes)
            && SameEntries(cohorts, other.cohorts);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignalDelta);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (long value in counts)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString()
        => $"SignalDelta(procedures {this[SignalCount.Procedures]}, adverse events {this[SignalCount.AdverseEvents]}, codes {codes?.Count ?? 0})";

    internal void AddProcedure(ProcedureContribution procedure)
    {
        Increment(SignalCount.Procedures, true);
        Increment(SignalCount.FirstProcedures, procedure.Facts.HasFlag(ProcedureFacts.FirstForPatient));
        Increment(SignalCount.MdtSelection, procedure.Facts.HasFlag(ProcedureFacts.MdtSelection));
        Increment(SignalCount.WrittenInformation, procedure.Facts.HasFlag(ProcedureFacts.WrittenInformation));
        Increment(SignalCount.RegistryEntry, procedure.Facts.HasFlag(ProcedureFacts.RegistryEntry));
        AddCohort(MonthIndex(procedure.ProcedureDate), 1, 0);
    }

    internal void AddAdverseEvent(AdverseEventContribution adverseEvent)
    {
        AdverseEventFacts f = adverseEvent.Facts;
        bool serious = f.HasFlag(AdverseEventFacts.Serious);
        bool device = f.HasFlag(AdverseEventFacts.DeviceRelated);
        bool related = device || f.HasFlag(AdverseEventFacts.ProcedureRelated);
        bool unanticipated = f.HasFlag(AdverseEventFacts.Unanticipated);
        Increment(SignalCount.AdverseEvents, true);
        Increment(SignalCount.SeriousAdverseEvents, serious);
        Increment(SignalCount.DeviceRelatedAdverseEvents, device);
        Increment(SignalCount.ProcedureRelatedAdverseEvents, f.HasFlag(AdverseEventFacts.ProcedureRelated));
        Increment(SignalCount.SeriousRelatedAdverseEvents, serious && related);
        Increment(SignalCount.PatientsWithSeriousRelatedEvent, serious && related && f.HasFlag(AdverseEventFacts.FirstSeriousRelatedForPatient));
        Increment(SignalCount.Deaths, f.HasFlag(AdverseEventFacts.Death));
        Increment(SignalCount.Revisions, f.HasFlag(AdverseEventFacts.Revision));
        Increment(SignalCount.Explants, f.HasFlag(AdverseEventFacts.Explant));
        Increment(SignalCount.UnanticipatedAdverseEvents, unanticipated);
        Increment(SignalCount.UnanticipatedSeriousDeviceRelated, unanticipated && serious && device);
        foreach (string code in adverseEvent.ImdrfCodes)
        {
            AddCode(code, 1);
        }
    }

    internal void AddOutcome(OutcomeContribution outcome)
    {
        int t = (int)outcome.Timepoint;
        reports[t] = checked(reports[t] + 1);
        for (int m = 0; m < OutcomeMeasures.Count; m++)
        {
            var measure = (OutcomeMeasure)m;
            if (outcome.For(measure) is not { } observation)
            {
                continue;
            }

            int i = MomentIndex(measure, outcome.Timepoint);
            AddMoments(outcomes, i, observation.Value);
            if (observation.ChangeFromBaseline is { } change)
            {
                AddMoments(changes, i, change);
            }

            if (observation.Responder == true)
            {
                int r = (m * Timepoints) + t;
                responders[r] = checked(responders[r] + 1);
            }
        }

        if (outcome.Timepoint == OutcomeTimepoint.Month12)
        {
            AddCohort(MonthIndex(outcome.ProcedureDate), 0, 1);
        }
    }

    // Raw access for the flat table representation.
    internal long[] RawCounts => counts;

    internal long[] RawOutcomes => outcomes;

    internal long[] RawChanges => changes;

    internal long[] RawResponders => responders;

    internal long[] RawReports => reports;

    internal void AddCode(string code, long count)
    {
        if (count == 0)
        {
            return;
        }

        codes ??= new Dictionary<string, long>(StringComparer.Ordinal);
        codes[code] = checked((codes.TryGetValue(code, out long existing) ? existing : 0) + count);
    }

    internal void AddCohort(int monthIndex, long procedures, long received)
    {
        if (procedures == 0 && received == 0)
        {
            return;
        }

        cohorts ??= [];
        cohorts.TryGetValue(monthIndex, out FollowUpCohort existing);
        cohorts[monthIndex] = new FollowUpCohort(checked(existing.Procedures + procedures), checked(existing.Received + received));
    }

    internal static int MonthIndex(DateOnly date) => (date.Year * 12) + date.Month - 1;

    internal static SignalPeriod MonthFromIndex(int index) => SignalPeriod.Month(index / 12, (index % 12) + 1);

    internal static int MomentIndex(OutcomeMeasure measure, OutcomeTimepoint timepoint)
        => (((int)measure * Timepoints) + (int)timepoint) * Moments;

    private void Increment(SignalCount count, bool condition)
    {
        if (condition)
        {
            counts[(int)count] = checked(counts[(int)count] + 1);
        }
    }

    private static void AddMoments(long[] target, int index, long value)
    {
        target[index] = checked(target[index] + 1);
        target[index + 1] = checked(target[index + 1] + value);
        target[index + 2] = checked(target[index + 2] + (value * value));
    }

    private static void AddArray(long[] target, long[] source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = checked(target[i] + source[i]);
        }
    }

    private static bool SameEntries<TKey, TValue>(IDictionary<TKey, TValue>? left, IDictionary<TKey, TValue>? right)
        where TKey : notnull
    {
        int leftCount = left?.Count ?? 0;
        int rightCount = right?.Count ?? 0;
        if (leftCount != rightCount)
        {
            return false;
        }

        if (leftCount == 0)
        {
            return true;
        }

        foreach (KeyValuePair<TKey, TValue> entry in left!)
        {
            if (!right!.TryGetValue(entry.Key, out TValue? value) || !EqualityComparer<TValue>.Default.Equals(value, entry.Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>12-month follow-up due and received, as of a date.</summary>
/// <param name="Due">Procedures whose 12-month follow-up is due.</param>
/// <param name="Received">12-month reports received for them.</param>
public readonly record struct FollowUpTally(long Due, long Received);
