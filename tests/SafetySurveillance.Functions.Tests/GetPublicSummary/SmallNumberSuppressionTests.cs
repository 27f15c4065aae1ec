using CsCheck;
using SafetySurveillance.Functions.GetPublicSummary;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetPublicSummary;

public sealed class SmallNumberSuppressionTests
{
    private static string Show(SuppressedColumn column) =>
        string.Join(" ", column.Cells.Select(c => c.ToString())) + " | " + column.Total;

    private static string Suppress(params long[] counts) => Show(SmallNumberSuppression.Suppress(counts));

    [Fact]
    public void A_column_without_counts_of_1_to_7_is_published_exactly_with_its_total() =>
        Assert.Equal("0 12 30 | 42", Suppress(0, 12, 30));

    [Fact]
    public void Zero_is_shown_as_zero_and_1_to_7_as_less_than_8() =>
        Assert.Equal("<8 <8 0 | 3", Suppress(1, 2, 0));

    [Fact]
    public void One_small_count_takes_the_smallest_count_of_8_or_more_with_it()
    {
        // 3 alone would be 45 - 12 - 30; with 12 withheld the hidden pair sums to 15 and 3 could be anything from 1 to 7.
        Assert.Equal("<8 * 30 | 45", Suppress(3, 12, 30));
    }

    [Fact]
    public void A_withheld_8_beside_a_1_narrows_it_so_the_next_smallest_goes_too()
    {
        // Hidden 1 + 8 = 9 with "*" at least 8 would pin "<8" to 1; with 20 withheld as well the hidden three sum
        // to 29, and "*" at most 40, so the small count could be anything from 1 to 7 again.
        Assert.Equal("<8 * * 40 | 69", Suppress(1, 8, 20, 40));
    }

    [Fact]
    public void Counts_of_8_or_more_go_until_no_small_count_is_narrowed_at_all()
    {
        // With 8 and 9 withheld the 2 could only be 1 to 3: 40 goes too.
        Assert.Equal("<8 * * * | 59", Suppress(2, 8, 9, 40));
    }

    [Fact]
    public void With_every_count_of_8_or_more_withheld_two_possible_values_are_enough()
    {
        // Hidden 2 + 8 = 10: "<8" is 1 or 2. Nothing else could be withheld, and it cannot be worked out.
        Assert.Equal("<8 * | 10", Suppress(2, 8));
    }

    [Fact]
    public void Two_small_counts_that_could_only_be_1_and_1_withhold_the_total() =>
        Assert.Equal("<8 <8 | *", Suppress(1, 1));

    [Fact]
    public void A_single_trust_with_a_small_count_withholds_the_whole_column_zeros_included() =>
        Assert.Equal("<8 * * | *", Suppress(1, 0, 0));

    [Fact]
    public void A_small_count_beside_a_lone_8_withholds_the_whole_column() =>
        Assert.Equal("<8 * | *", Suppress(1, 8));

    [Fact]
    public void An_empty_column_has_a_zero_total() =>
        Assert.Equal(" | 0", Suppress());

    private static readonly Gen<long> Count = Gen.Frequency(
        (4, Gen.Long[0, 0]),
        (6, Gen.Long[1, 7]),
        (3, Gen.Long[8, 15]),
        (2, Gen.Long[16, 400]));

    [Fact]
    public void Every_count_is_shown_truly_small_counts_as_less_than_8_and_the_total_exactly_or_withheld() =>
        Count.Array[0, 40].Sample(counts =>
        {
            SuppressedColumn column = SmallNumberSuppression.Suppress(counts);
            Assert.Equal(counts.Length, column.Cells.Count);
            for (int i = 0; i < counts.Length; i++)
            {
                PublishedCount cell = column.Cells[i];
                if (counts[i] is >= 1 and <= 7)
                {
                    Assert.Equal(PublishedCountKind.Small, cell.Kind);
                }
                else if (cell.Kind == PublishedCountKind.Exact)
                {
                    Assert.Equal(counts[i], cell.Value);
                }
                else
                {
                    Assert.Equal(PublishedCountKind.Withheld, cell.Kind);
                }
            }

            if (column.Total.Kind == PublishedCountKind.Exact)
            {
                Assert.Equal(counts.Sum(), column.Total.Value);
            }
            else
            {
                Assert.Equal(PublishedCountKind.Withheld, column.Total.Kind);
                Assert.DoesNotContain(column.Cells, c => c.Kind == PublishedCountKind.Exact);
            }

            if (!counts.Any(c => c is >= 1 and <= 7))
            {
                Assert.All(column.Cells, c => Assert.Equal(PublishedCountKind.Exact, c.Kind));
            }
        });

    /// <summary>
    /// What a reader can know about each hidden cell from the published column, worked out here independently of
    /// the implementation: "&lt;8" is 1–7; "*" beside an exact total is at least 8 and at most the smallest count of 8
    /// or more still shown (one less when that count comes earlier: ties are withheld earliest first); with the total
    /// withheld nothing ties the cells together.
    /// </summary>
    private static (long Low, long High)[] ReaderRanges(SuppressedColumn column)
    {
        var ranges = new (long, long)[column.Cells.Count];
        for (int i = 0; i < ranges.Length; i++)
        {
            PublishedCount cell = column.Cells[i];
            long high = long.MaxValue;
            for (int j = 0; j < ranges.Length; j++)
            {
                if (column.Cells[j] is { Kind: PublishedCountKind.Exact, Value: >= 8 } shown)
                {
                    high = Math.Min(high, j < i ? shown.Value - 1 : shown.Value);
                }
            }

            ranges[i] = cell.Kind switch
            {
                PublishedCountKind.Exact => (cell.Value, cell.Value),
                PublishedCountKind.Small => (1, 7),
                _ when column.Total.Kind == PublishedCountKind.Withheld => (0, long.MaxValue),
                _ => (8, high),
            };
        }

        return ranges;
    }

    [Fact]
    public void No_small_count_can_be_worked_out_from_the_published_column_a_second_table_that_publishes_the_same_differs_there() =>
        Count.Array[1, 40].Sample(counts =>
        {
            SuppressedColumn column = SmallNumberSuppression.Suppress(counts);
            var ranges = ReaderRanges(column);
            for (int i = 0; i < counts.Length; i++)
            {
                if (column.Cells[i].Kind != PublishedCountKind.Small)
                {
                    continue;
                }

                // A witness: the same published figures from a table where cell i is one more or one less.
                bool witnessed = false;
                foreach (int step in (ReadOnlySpan<int>)[1, -1])
                {
                    long moved = counts[i] + step;
                    if (moved < ranges[i].Low || moved > ranges[i].High)
                    {
                        continue;
                    }

                    if (column.Total.Kind == PublishedCountKind.Withheld)
                    {
                        witnessed = true;
                        break;
                    }

                    // The total is shown: another hidden cell moves the other way and stays inside what it shows.
                    for (int j = 0; j < counts.Length && !witnessed; j++)
                    {
                        long other = counts[j] - step;
                        witnessed = j != i && column.Cells[j].Kind != PublishedCountKind.Exact && other >= ranges[j].Low && other <= ranges[j].High;
                    }
                }

                Assert.True(witnessed, $"cell {i} of [{string.Join(", ", counts)}] can be worked out from {Show(column)}");
            }
        });

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 40)]
    [InlineData(3, 24)]
    [InlineData(4, 20)]
    [InlineData(5, 11)]
    public void Even_a_reader_who_reruns_the_rule_on_every_possible_table_cannot_pin_down_a_small_count(int trusts, int largest)
    {
        // Every table of `trusts` counts from 0 to `largest`, grouped by what would be published. Within a group a
        // reader cannot tell the tables apart, so every "<8" must take at least two values across its group.
        var groups = new Dictionary<string, List<long[]>>(StringComparer.Ordinal);
        var counts = new long[trusts];
        void Visit(int position)
        {
            if (position == trusts)
            {
                string published = Show(SmallNumberSuppression.Suppress(counts));
                if (!groups.TryGetValue(published, out var tables))
                {
                    groups[published] = tables = [];
                }

                tables.Add((long[])counts.Clone());
                return;
            }

            for (long value = 0; value <= largest; value++)
            {
                counts[position] = value;
                Visit(position + 1);
            }
        }

        Visit(0);
        int checkedGroups = 0;
        foreach (var (published, tables) in groups)
        {
            SuppressedColumn column = SmallNumberSuppression.Suppress(tables[0]);
            if (column.Total.Kind == PublishedCountKind.Exact && column.Total.Value > largest)
            {
                // Tables with a count above `largest` publish this too, so the group is incomplete here.
                continue;
            }

            // An exact total no larger than `largest` bounds every count, so the group holds every table that
            // publishes the same. A withheld total comes only with no count shown beside the "<8"s, and values
            // beyond `largest` could only add tables to the group.
            for (int i = 0; i < trusts; i++)
            {
                if (column.Cells[i].Kind == PublishedCountKind.Small)
                {
                    checkedGroups++;
                    var values = tables.Select(t => t[i]).Distinct().ToList();
                    Assert.True(values.Count >= 2, $"\"{published}\" pins cell {i} to {values[0]} (tables: {string.Join("; ", tables.Select(t => string.Join(",", t)))})");
                }
            }
        }

        Assert.True(checkedGroups > 0);
    }
}
