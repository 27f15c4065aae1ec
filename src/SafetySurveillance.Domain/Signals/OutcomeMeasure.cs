namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// The patient-reported outcome measures a signal row sums. The names are table property name parts, so
/// never rename or renumber a member.
/// </summary>
public enum OutcomeMeasure
{
    /// <summary>Pain numerical rating scale, 0–10, stored in whole points.</summary>
    PainNrs = 0,

    /// <summary>Oswestry Disability Index, 0–100, stored in whole points.</summary>
    Odi = 1,

    /// <summary>EQ-5D-5L index, −0.594 to 1, stored in thousandths (−594 to 1000) so that sums are exact.</summary>
    Eq5dIndex = 2,

    /// <summary>Patient Global Impression of Change, 1–7, stored in whole points.</summary>
    Pgic = 3,
}

/// <summary>Scale and range of each measure, in the integer units a row stores.</summary>
public static class OutcomeMeasures
{
    /// <summary>How many measures there are.</summary>
    public const int Count = 4;

    /// <summary>Stored units per unit of the measure: 1000 for EQ-5D (thousandths), 1 otherwise.</summary>
    public static int Scale(OutcomeMeasure measure) => measure == OutcomeMeasure.Eq5dIndex ? 1000 : 1;

    /// <summary>Smallest valid stored value.</summary>
    public static long Minimum(OutcomeMeasure measure) => measure switch
    {
        OutcomeMeasure.Eq5dIndex => -594,
        OutcomeMeasure.Pgic => 1,
        _ => 0,
    };

    /// <summary>Largest valid stored value.</summary>
    public static long Maximum(OutcomeMeasure measure) => measure switch
    {
        OutcomeMeasure.PainNrs => 10,
        OutcomeMeasure.Odi => 100,
        OutcomeMeasure.Eq5dIndex => 1000,
        _ => 7,
    };

    /// <summary>Converts an EQ-5D index with at most three decimals to thousandths, exactly.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than three decimals, or outside −0.594 … 1.</exception>
    public static long Eq5dToThousandths(decimal index)
    {
        decimal scaled = index * 1000m;
        if (scaled != decimal.Truncate(scaled) || scaled < -594m || scaled > 1000m)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "An EQ-5D-5L index has at most three decimals and lies in −0.594 … 1.");
        }

        return (long)scaled;
    }
}
