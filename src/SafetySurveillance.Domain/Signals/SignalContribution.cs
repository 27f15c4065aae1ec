using SafetySurveillance.Domain.Events.Outcomes;

namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// What one validated, pseudonymised event adds to every signal row it touches. Built once per event at
/// ingestion and added to each touched row's <see cref="SignalDelta"/>; it carries no identifiers.
/// </summary>
public abstract record SignalContribution
{
    private protected SignalContribution()
    {
    }

    internal abstract void AddTo(SignalDelta delta);
}

/// <summary>Yes/no facts about a procedure.</summary>
[Flags]
public enum ProcedureFacts
{
    /// <summary>None of the facts.</summary>
    None = 0,

    /// <summary>The patient's first procedure of this code (from the pseudonym ledger).</summary>
    FirstForPatient = 1,

    /// <summary>Selected by a multidisciplinary team.</summary>
    MdtSelection = 2,

    /// <summary>Written information given.</summary>
    WrittenInformation = 4,

    /// <summary>Registry entry made.</summary>
    RegistryEntry = 8,
}

/// <summary>Yes/no facts about an adverse event.</summary>
[Flags]
public enum AdverseEventFacts
{
    /// <summary>None of the facts.</summary>
    None = 0,

    /// <summary>Any seriousness criterion applies.</summary>
    Serious = 1,

    /// <summary>Possibly, probably or causally device-related.</summary>
    DeviceRelated = 2,

    /// <summary>Possibly, probably or causally procedure-related.</summary>
    ProcedureRelated = 4,

    /// <summary>Fatal.</summary>
    Death = 8,

    /// <summary>Led to a revision.</summary>
    Revision = 16,

    /// <summary>Led to an explant.</summary>
    Explant = 32,

    /// <summary>Not anticipated.</summary>
    Unanticipated = 64,

    /// <summary>The patient's first serious device- or procedure-related event (from the ledger).</summary>
    FirstSeriousRelatedForPatient = 128,
}

/// <summary>A procedure: counts, NICE special-arrangement flags, and a place in a follow-up cohort.</summary>
/// <param name="ProcedureDate">Places the procedure in its 12-month follow-up cohort (its calendar month).</param>
/// <param name="Facts">Yes/no facts.</param>
public sealed record ProcedureContribution(DateOnly ProcedureDate, ProcedureFacts Facts) : SignalContribution
{
    internal override void AddTo(SignalDelta delta) => delta.AddProcedure(this);
}

/// <summary>An adverse event: counts by seriousness, relatedness and action, and per IMDRF code.</summary>
public sealed record AdverseEventContribution : SignalContribution
{
    /// <summary>Creates the contribution; duplicate codes are counted once.</summary>
    /// <exception cref="ArgumentException">A code is not 1–16 ASCII letters and digits.</exception>
    public AdverseEventContribution(AdverseEventFacts facts, IEnumerable<string> imdrfCodes)
    {
        ArgumentNullException.ThrowIfNull(imdrfCodes);
        Facts = facts;
        var codes = new List<string>();
        foreach (string code in imdrfCodes)
        {
            if (!IsValidCode(code))
            {
                throw new ArgumentException($"'{code}' is not an IMDRF code (1–16 ASCII letters and digits).", nameof(imdrfCodes));
            }

            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                codes.Add(code);
            }
        }

        ImdrfCodes = codes;
    }

    /// <summary>Yes/no facts.</summary>
    public AdverseEventFacts Facts { get; }

    /// <summary>Distinct IMDRF codes (device problem, clinical signs, health impact), each counted once.</summary>
    public IReadOnlyList<string> ImdrfCodes { get; }

    internal static bool IsValidCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 16)
        {
            return false;
        }

        foreach (char c in code)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal override void AddTo(SignalDelta delta) => delta.AddAdverseEvent(this);
}

/// <summary>One score in an outcome report, in the measure's stored units (<see cref="OutcomeMeasures"/>).</summary>
/// <param name="Value">The score.</param>
/// <param name="ChangeFromBaseline">Score minus the patient's baseline score, when the baseline is known.</param>
/// <param name="Responder">Whether the patient meets the responder definition, when it can be judged.</param>
public readonly record struct MeasureObservation(long Value, long? ChangeFromBaseline = null, bool? Responder = null);

/// <summary>
/// One outcome report at one timepoint. Ingestion forwards at most one report per procedure and timepoint,
/// so each contribution is also one follow-up received.
/// </summary>
public sealed record OutcomeContribution : SignalContribution
{
    /// <summary>Creates the contribution, checking each score against its measure's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A score or change is outside its measure's range.</exception>
    public OutcomeContribution(
        DateOnly procedureDate,
        OutcomeTimepoint timepoint,
        MeasureObservation? painNrs = null,
        MeasureObservation? odi = null,
        MeasureObservation? eq5dIndex = null,
        MeasureObservation? pgic = null)
    {
        if (timepoint is < OutcomeTimepoint.Baseline or > OutcomeTimepoint.Month24)
        {
            throw new ArgumentOutOfRangeException(nameof(timepoint), timepoint, "Unknown timepoint.");
        }

        ProcedureDate = procedureDate;
        Timepoint = timepoint;
        PainNrs = Check(painNrs, OutcomeMeasure.PainNrs);
        Odi = Check(odi, OutcomeMeasure.Odi);
        Eq5dIndex = Check(eq5dIndex, OutcomeMeasure.Eq5dIndex);
        Pgic = Check(pgic, OutcomeMeasure.Pgic);
    }

    /// <summary>The procedure's date: places the report in the procedure's follow-up cohort.</summary>
    public DateOnly ProcedureDate { get; }

    /// <summary>Baseline, 3, 6, 12 or 24 months.</summary>
    public OutcomeTimepoint Timepoint { get; }

    /// <summary>Pain NRS, 0–10.</summary>
    public MeasureObservation? PainNrs { get; }

    /// <summary>ODI, 0–100.</summary>
    public MeasureObservation? Odi { get; }

    /// <summary>EQ-5D-5L index in thousandths, −594 to 1000.</summary>
    public MeasureObservation? Eq5dIndex { get; }

    /// <summary>PGIC, 1–7.</summary>
    public MeasureObservation? Pgic { get; }

    /// <summary>The observation for a measure, if reported.</summary>
    public MeasureObservation? For(OutcomeMeasure measure) => measure switch
    {
        OutcomeMeasure.PainNrs => PainNrs,
        OutcomeMeasure.Odi => Odi,
        OutcomeMeasure.Eq5dIndex => Eq5dIndex,
        _ => Pgic,
    };

    internal override void AddTo(SignalDelta delta) => delta.AddOutcome(this);

    private static MeasureObservation? Check(MeasureObservation? observation, OutcomeMeasure measure)
    {
        if (observation is not { } o)
        {
            return null;
        }

        long min = OutcomeMeasures.Minimum(measure);
        long max = OutcomeMeasures.Maximum(measure);
        if (o.Value < min || o.Value > max)
        {
            throw new ArgumentOutOfRangeException(measure.ToString(), o.Value, $"{measure} must lie in {min} … {max} (stored units).");
        }

        if (o.ChangeFromBaseline is { } change && Math.Abs(change) > max - min)
        {
            throw new ArgumentOutOfRangeException(measure.ToString(), change, $"A change in {measure} cannot exceed the scale's range.");
        }

        return observation;
    }
}
