using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class SmallNumberSuppressionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void Sub_national_counts_of_one_to_seven_are_suppressed(long count)
    {
        PublishedCount published = SmallNumberSuppression.Count(count, DisclosureLevel.SubNational);
        Assert.True(published.IsSuppressed);
        Assert.Null(published.Value);
        Assert.Equal("<8", published.ToString());
        Assert.Equal("*", published.Display("*"));
    }

    [Theory]
    [InlineData(8, 10)]
    [InlineData(10, 10)]
    [InlineData(12, 10)]
    [InlineData(13, 15)]
    [InlineData(17, 15)]
    [InlineData(18, 20)]
    [InlineData(1_234, 1_235)]
    [InlineData(1_232, 1_230)]
    public void Other_sub_national_counts_are_rounded_to_the_nearest_five(long count, long expected)
    {
        PublishedCount published = SmallNumberSuppression.Count(count, DisclosureLevel.SubNational);
        Assert.False(published.IsSuppressed);
        Assert.Equal(expected, published.Value);
        Assert.True(published.IsRounded);
    }

    [Fact]
    public void Zero_is_published_as_zero()
    {
        Assert.Equal("0", SmallNumberSuppression.Count(0, DisclosureLevel.SubNational).ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(13)]
    public void National_counts_are_published_exactly(long count)
    {
        PublishedCount published = SmallNumberSuppression.Count(count, DisclosureLevel.National);
        Assert.Equal(count, published.Value);
        Assert.False(published.IsSuppressed);
        Assert.False(published.IsRounded);
    }

    [Fact]
    public void Derived_figures_about_one_to_seven_people_are_withheld_below_national_level()
    {
        Assert.False(SmallNumberSuppression.CanPublishDerived(5, DisclosureLevel.SubNational));
        Assert.True(SmallNumberSuppression.CanPublishDerived(8, DisclosureLevel.SubNational));
        Assert.True(SmallNumberSuppression.CanPublishDerived(5, DisclosureLevel.National));
    }

    [Fact]
    public void Percentages_are_computed_from_the_rounded_counts()
    {
        // 13 of 42 → 15 of 40 = 37.5 %, not 30.95 %.
        Assert.Equal(37.5, SmallNumberSuppression.Percentage(13, 42, DisclosureLevel.SubNational));
        Assert.Null(SmallNumberSuppression.Percentage(3, 42, DisclosureLevel.SubNational));
        Assert.Equal(100.0 * 3 / 42, SmallNumberSuppression.Percentage(3, 42, DisclosureLevel.National));
        Assert.Null(SmallNumberSuppression.Percentage(0, 0, DisclosureLevel.SubNational));
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallNumberSuppression.Count(-1, DisclosureLevel.National));
    }
}
