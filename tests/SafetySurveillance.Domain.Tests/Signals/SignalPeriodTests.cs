using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalPeriodTests
{
    [Theory]
    [InlineData("2026-01-01", "2026-01", "2026-Q1")]
    [InlineData("2026-03-31", "2026-03", "2026-Q1")]
    [InlineData("2026-04-01", "2026-04", "2026-Q2")]
    [InlineData("2026-12-31", "2026-12", "2026-Q4")]
    public void Dates_fall_in_their_calendar_month_and_quarter(string date, string month, string quarter)
    {
        DateOnly d = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(month, SignalPeriod.Containing(d, SignalPeriodKind.Month).ToString());
        Assert.Equal(quarter, SignalPeriod.Containing(d, SignalPeriodKind.Quarter).ToString());
        Assert.Equal("all", SignalPeriod.Containing(d, SignalPeriodKind.AllTime).ToString());
        Assert.True(SignalPeriod.Containing(d, SignalPeriodKind.Quarter).Contains(d));
    }

    [Fact]
    public void Periods_know_their_first_and_last_days()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), SignalPeriod.Month(2024, 2).LastDay);
        Assert.Equal(new DateOnly(2026, 4, 1), SignalPeriod.Quarter(2026, 2).FirstDay);
        Assert.Equal(new DateOnly(2026, 6, 30), SignalPeriod.Quarter(2026, 2).LastDay);
    }

    [Theory]
    [InlineData("2026-03")]
    [InlineData("2026-Q4")]
    [InlineData("all")]
    [InlineData("0001-01")]
    public void Text_forms_round_trip(string text)
    {
        Assert.Equal(text, SignalPeriod.Parse(text).ToString());
    }

    [Theory]
    [InlineData("2026-00")]
    [InlineData("2026-13")]
    [InlineData("2026-Q0")]
    [InlineData("2026-q1")]
    [InlineData("26-03")]
    [InlineData("2026-3")]
    [InlineData("ALL")]
    [InlineData("")]
    public void Malformed_periods_do_not_parse(string text)
    {
        Assert.False(SignalPeriod.TryParse(text, out _));
    }

    [Fact]
    public void Months_sort_chronologically()
    {
        Assert.True(SignalPeriod.Month(2025, 12) < SignalPeriod.Month(2026, 1));
        Assert.True(SignalPeriod.Quarter(2026, 1) < SignalPeriod.Quarter(2026, 2));
    }
}
