using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class FollowUpCompletenessTests
{
    [Fact]
    public void A_procedure_is_due_twelve_months_plus_one_month_of_grace_later()
    {
        var procedure = new DateOnly(2025, 3, 10);
        Assert.Equal(new DateOnly(2026, 4, 10), FollowUpCompleteness.TwelveMonthDueDate(procedure));
        Assert.False(FollowUpCompleteness.IsTwelveMonthDue(procedure, new DateOnly(2026, 4, 9)));
        Assert.True(FollowUpCompleteness.IsTwelveMonthDue(procedure, new DateOnly(2026, 4, 10)));
    }

    [Fact]
    public void The_end_of_a_long_month_is_clamped_to_the_end_of_a_short_one()
    {
        Assert.Equal(new DateOnly(2026, 2, 28), FollowUpCompleteness.TwelveMonthDueDate(new DateOnly(2025, 1, 31)));
        Assert.Equal(new DateOnly(2028, 2, 29), FollowUpCompleteness.TwelveMonthDueDate(new DateOnly(2027, 1, 31)));
    }

    [Fact]
    public void With_no_grace_the_anniversary_itself_is_due()
    {
        Assert.True(FollowUpCompleteness.IsTwelveMonthDue(new DateOnly(2025, 6, 1), new DateOnly(2026, 6, 1), graceMonths: 0));
    }

    [Fact]
    public void Completeness_is_received_over_due_with_a_Wilson_interval()
    {
        // statsmodels proportion_confint(8, 204, 0.05, 'wilson') = (0.020002853883823005, 0.07546153966535553)
        ProportionInterval completeness = FollowUpCompleteness.Completeness(8, 204)!.Value;
        Assert.Equal(8 / 204.0, completeness.Estimate);
        Assert.Equal(0.020002853883823005, completeness.Lower, 1e-14);
        Assert.Equal(0.07546153966535553, completeness.Upper, 1e-14);
    }

    [Fact]
    public void Nothing_due_means_completeness_is_undefined_not_zero()
    {
        Assert.Null(FollowUpCompleteness.Completeness(0, 0));
    }

    [Fact]
    public void All_received_gives_an_upper_bound_of_one()
    {
        Assert.Equal(1.0, FollowUpCompleteness.Completeness(12, 12)!.Value.Upper);
    }

    [Fact]
    public void More_received_than_due_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FollowUpCompleteness.Completeness(5, 4));
    }
}
