namespace SafetySurveillance.Simulator.Generation;

/// <summary>What to generate. Same options and same <c>now</c> give the same bytes.</summary>
public sealed record SimulationOptions
{
    /// <summary>Seeds every random draw.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>How many trusts send (catalogue order; at most <see cref="TrustCatalogue.MaxTrusts"/>).</summary>
    public int TrustCount { get; init; } = 20;

    /// <summary>Exactly how many messages the run holds: valid events, malformed events and duplicate resends together.</summary>
    public int EventCount { get; init; } = 10_000;

    /// <summary>
    /// How far back procedures go, in months before <c>now</c>. Default 30: about two years of activity, plus
    /// enough older procedures that some 24-month follow-ups are already due.
    /// </summary>
    public int HistoryMonths { get; init; } = 30;

    /// <summary>Chance that a malformed event follows each valid one (so about this fraction of all messages).</summary>
    public double MalformedFraction { get; init; } = 0.01;

    /// <summary>Fraction of messages that are byte-identical resends of a valid event sent earlier.</summary>
    public double DuplicateFraction { get; init; }

    /// <summary>Zero-based index of the trust with an injected excess of serious device-related events (default the 7th); null for none.</summary>
    public int? InjectedTrustIndex { get; init; } = 6;

    /// <summary>Odds ratio of serious device-related events at the injected trust against the others.</summary>
    public double InjectedOddsRatio { get; init; } = 4.0;

    /// <summary>OPCS-4 code of the procedure (A48.4 by default).</summary>
    public string ProcedureCode { get; init; } = "A48.4";

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TrustCount < 1 || TrustCount > TrustCatalogue.MaxTrusts)
        {
            problems.Add($"TrustCount must be 1–{TrustCatalogue.MaxTrusts}.");
        }

        if (EventCount < 1)
        {
            problems.Add("EventCount must be at least 1.");
        }

        if (HistoryMonths is < 1 or > 120)
        {
            problems.Add("HistoryMonths must be 1–120.");
        }

        if (MalformedFraction is < 0 or > 0.5 || double.IsNaN(MalformedFraction))
        {
            problems.Add("MalformedFraction must be 0–0.5.");
        }

        if (DuplicateFraction is < 0 or > 0.5 || double.IsNaN(DuplicateFraction))
        {
            problems.Add("DuplicateFraction must be 0–0.5.");
        }

        if (InjectedTrustIndex is { } index && (index < 0 || index >= TrustCount))
        {
            problems.Add("InjectedTrustIndex must name one of the trusts (0-based).");
        }

        if (InjectedOddsRatio is <= 0 or > 100 || double.IsNaN(InjectedOddsRatio))
        {
            problems.Add("InjectedOddsRatio must be above 0 and at most 100.");
        }

        return problems;
    }
}
