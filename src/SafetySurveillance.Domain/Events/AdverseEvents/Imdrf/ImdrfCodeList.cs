using System.Collections.Frozen;

namespace SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;

/// <summary>The IMDRF annexes we accept codes from.</summary>
public enum ImdrfAnnex
{
    /// <summary>Annex A: medical device problem.</summary>
    A,

    /// <summary>Annex E: health effects — clinical signs, symptoms and conditions.</summary>
    E,

    /// <summary>Annex F: health effects — health impact.</summary>
    F,
}

/// <summary>Whether a term may be used on a report in this release.</summary>
public enum ImdrfTermStatus
{
    Selectable,

    /// <summary>A grouping term; a more detailed term below it must be chosen.</summary>
    NotSelectable,

    /// <summary>Inactivated in this release.</summary>
    Retired,
}

/// <summary>One IMDRF Adverse Event Terminology term.</summary>
public sealed record ImdrfTerm(string Code, string Term, ImdrfAnnex Annex, ImdrfTermStatus Status);

/// <summary>
/// The fixed, versioned IMDRF code list shipped with the domain (annexes A, E and F). The
/// <see cref="Release"/> is stored with every coded adverse event, so a later release can be told apart.
/// </summary>
public static class ImdrfCodeList
{
    /// <summary>The IMDRF AET release the list was taken from.</summary>
    public const string Release = "2023";

    /// <summary>What <see cref="Release"/> means.</summary>
    public const string ReleaseDescription =
        "IMDRF Adverse Event Terminology (IMDRF/AE WG/N43), annexes A, E and F, terms as of 31 January 2023";

    private static readonly FrozenDictionary<string, ImdrfTerm> Terms = Build();

    /// <summary>Every term, all annexes.</summary>
    public static IReadOnlyCollection<ImdrfTerm> All => Terms.Values;

    public static bool TryGet(string code, out ImdrfTerm term) => Terms.TryGetValue(code, out term!);

    /// <summary>Codes of one annex that may be reported (selectable, not retired), in annex order.</summary>
    public static IReadOnlyList<string> SelectableCodes(ImdrfAnnex annex) =>
        Source(annex).Where(t => t.Status == 'S').Select(t => t.Code).ToArray();

    private static (string Code, string Term, char Status)[] Source(ImdrfAnnex annex) => annex switch
    {
        ImdrfAnnex.A => ImdrfCodeData.AnnexA,
        ImdrfAnnex.E => ImdrfCodeData.AnnexE,
        ImdrfAnnex.F => ImdrfCodeData.AnnexF,
        _ => throw new ArgumentOutOfRangeException(nameof(annex), annex, "Unknown annex."),
    };

    private static FrozenDictionary<string, ImdrfTerm> Build()
    {
        var terms = new Dictionary<string, ImdrfTerm>(StringComparer.Ordinal);
        foreach (var annex in Enum.GetValues<ImdrfAnnex>())
        {
            foreach (var (code, term, status) in Source(annex))
            {
                terms[code] = new ImdrfTerm(code, term, annex, status switch
                {
                    'N' => ImdrfTermStatus.NotSelectable,
                    'R' => ImdrfTermStatus.Retired,
                    _ => ImdrfTermStatus.Selectable,
                });
            }
        }

        return terms.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
