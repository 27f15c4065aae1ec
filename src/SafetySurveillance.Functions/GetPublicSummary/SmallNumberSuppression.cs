namespace SafetySurveillance.Functions.GetPublicSummary;

/// <summary>One column after suppression: each trust's published count (in the order given) and the national total.</summary>
/// <param name="Cells">Published counts, one per input count, in the same order.</param>
/// <param name="Total">The national total: exact, or withheld when no pattern protects the small counts.</param>
public sealed record SuppressedColumn(IReadOnlyList<PublishedCount> Cells, PublishedCount Total);

/// <summary>
/// Small-number suppression of one column of sub-national counts (one measure, one procedure, one quarter, every
/// trust) whose national total is the sum of the column:
/// <list type="number">
/// <item><b>Primary.</b> Counts of 1 to 7 are shown as <c>"&lt;8"</c>; 0 and counts of 8 or more as they are.</item>
/// <item><b>Complementary.</b> If any count is small, the national total would give away the sum of the hidden
/// counts. Counts of 8 or more are then withheld (<c>"*"</c>) one at a time, smallest first (ties: earlier cell
/// first), until <see cref="IsProtected"/> holds: every small count has at least two values consistent with
/// everything published (the total, the counts shown, 1–7 for <c>"&lt;8"</c>, and for <c>"*"</c> at least 8 and no
/// more than the smallest count of 8+ still shown, since withholding goes smallest first).</item>
/// <item><b>Whole column.</b> If even withholding every count of 8 or more does not protect them (for example one
/// trust with 1–7 and the rest 0), the whole column is withheld, total and zeros included, so that this case
/// cannot be told apart from others that end the same way.</item>
/// </list>
/// </summary>
public static class SmallNumberSuppression
{
    /// <summary>Counts from 1 to <c>Threshold - 1</c> are small.</summary>
    public const long Threshold = 8;

    /// <summary>Suppresses one column. <paramref name="counts"/> are in a fixed public order (trusts by ODS code).</summary>
    public static SuppressedColumn Suppress(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Any(c => c < 0))
        {
            throw new ArgumentException("Counts cannot be negative.", nameof(counts));
        }

        var kinds = counts.Select(c => IsSmall(c) ? PublishedCountKind.Small : PublishedCountKind.Exact).ToArray();
        if (!kinds.Contains(PublishedCountKind.Small))
        {
            return Build(counts, kinds, totalWithheld: false);
        }

        int[] candidates = Enumerable.Range(0, counts.Count)
            .Where(i => counts[i] >= Threshold)
            .OrderBy(i => counts[i])
            .ThenBy(i => i)
            .ToArray();
        // At least one count of 8+ goes whenever there is one: deciding first whether the small counts protect one
        // another would tell a reader who knows this rule that they did not (all 1s or all 7s).
        int first = Math.Min(1, candidates.Length);
        for (int i = 0; i < first; i++)
        {
            kinds[candidates[i]] = PublishedCountKind.Withheld;
        }

        for (int withheld = first; ; withheld++)
        {
            // While counts of 8+ remain, withhold until no small count is narrowed at all (still any of 1–7): had a
            // weaker test stopped here, a reader who knows the rule would learn from every extra "*" that the hidden
            // counts sat at their bounds. With none left, two possible values per small count is enough.
            int fewest = FewestPossibleValues(counts, kinds);
            if (fewest == Threshold - 1 || (withheld == candidates.Length && fewest >= 2))
            {
                return Build(counts, kinds, totalWithheld: false);
            }

            if (withheld == candidates.Length)
            {
                break;
            }

            kinds[candidates[withheld]] = PublishedCountKind.Withheld;
        }

        var all = Enumerable.Repeat(PublishedCountKind.Withheld, counts.Count).ToArray();
        for (int i = 0; i < counts.Count; i++)
        {
            if (IsSmall(counts[i]))
            {
                all[i] = PublishedCountKind.Small;
            }
        }

        return Build(counts, all, totalWithheld: true);
    }

    /// <summary>
    /// Whether, with the total published exactly and the cells shown as <paramref name="kinds"/> says, every small
    /// cell can still take at least two values. What a reader knows: the shown counts, the total, each
    /// <c>"&lt;8"</c> is 1–7, and each <c>"*"</c> is at least <see cref="Threshold"/> and at most the smallest shown
    /// count of 8 or more (less one when that cell comes earlier, as ties are withheld earliest first). The hidden
    /// counts sum to the total less the shown ones, so a small cell's possible values are the interval its own
    /// range leaves after the others take any values in theirs.
    /// </summary>
    public static bool IsProtected(IReadOnlyList<long> counts, IReadOnlyList<PublishedCountKind> kinds) =>
        FewestPossibleValues(counts, kinds) >= 2;

    /// <summary>
    /// The fewest values any small cell can take given what is published (see <see cref="IsProtected"/>): 7 when
    /// nothing narrows any of them, 1 when one can be worked out; 7 as well when there is no small cell.
    /// </summary>
    public static int FewestPossibleValues(IReadOnlyList<long> counts, IReadOnlyList<PublishedCountKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(kinds);
        long hiddenSum = 0;
        var hidden = new List<(int Index, long Low, long High)>();
        for (int i = 0; i < counts.Count; i++)
        {
            switch (kinds[i])
            {
                case PublishedCountKind.Small:
                    hiddenSum += counts[i];
                    hidden.Add((i, 1, Threshold - 1));
                    break;
                case PublishedCountKind.Withheld:
                    hiddenSum += counts[i];
                    hidden.Add((i, Threshold, UpperBoundOfWithheld(i, counts, kinds)));
                    break;
                default:
                    break;
            }
        }

        long lows = hidden.Sum(h => h.Low);
        bool unbounded = hidden.Any(h => h.High == long.MaxValue);
        long highs = unbounded ? long.MaxValue : hidden.Sum(h => h.High);
        int fewest = (int)(Threshold - 1);
        foreach (var (index, low, high) in hidden)
        {
            if (kinds[index] != PublishedCountKind.Small)
            {
                continue;
            }

            // The others take every sum between their lows and their highs (integer intervals add up to one).
            long othersLow = lows - low;
            long othersHigh = unbounded ? long.MaxValue : highs - high;
            long least = othersHigh == long.MaxValue ? low : Math.Max(low, hiddenSum - othersHigh);
            long most = Math.Min(high, hiddenSum - othersLow);
            fewest = (int)Math.Min(fewest, Math.Max(0, most - least + 1));
        }

        return fewest;
    }

    private static long UpperBoundOfWithheld(int index, IReadOnlyList<long> counts, IReadOnlyList<PublishedCountKind> kinds)
    {
        long bound = long.MaxValue;
        for (int j = 0; j < counts.Count; j++)
        {
            if (kinds[j] == PublishedCountKind.Exact && counts[j] >= Threshold)
            {
                bound = Math.Min(bound, j < index ? counts[j] - 1 : counts[j]);
            }
        }

        return bound;
    }

    private static bool IsSmall(long count) => count is >= 1 and < Threshold;

    private static SuppressedColumn Build(IReadOnlyList<long> counts, PublishedCountKind[] kinds, bool totalWithheld)
    {
        var cells = new PublishedCount[counts.Count];
        for (int i = 0; i < counts.Count; i++)
        {
            cells[i] = kinds[i] switch
            {
                PublishedCountKind.Small => PublishedCount.Small,
                PublishedCountKind.Withheld => PublishedCount.Withheld,
                _ => PublishedCount.Exact(counts[i]),
            };
        }

        return new SuppressedColumn(cells, totalWithheld ? PublishedCount.Withheld : PublishedCount.Exact(counts.Sum()));
    }
}
