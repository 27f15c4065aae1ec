using SafetySurveillance.Domain.Validation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Validation;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("2000-02-29", 2000, 2, 29)]
    [InlineData("2026-12-31", 2026, 12, 31)]
    [InlineData("0001-01-01", 1, 1, 1)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    public void Full_dates_including_leap_days_parse(string text, int year, int month, int day)
    {
        Assert.True(Rfc3339.TryParseFullDate(text, out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("1900-02-29")]
    [InlineData("2100-02-29")]
    [InlineData("2026-00-10")]
    [InlineData("2026-01-00")]
    [InlineData("2026-06-31")]
    [InlineData("0000-01-01")]
    [InlineData("２０２６-01-01")]
    [InlineData("2026-01-01 ")]
    [InlineData("+2026-01-01")]
    public void Impossible_dates_do_not_parse(string text) => Assert.False(Rfc3339.TryParseFullDate(text, out _));

    [Theory]
    [InlineData("2026-03-29T01:30:00+01:00", "2026-03-29T00:30:00Z")]
    [InlineData("2026-03-15T23:30:00-05:00", "2026-03-16T04:30:00Z")]
    [InlineData("2026-03-15T09:30:00.5Z", "2026-03-15T09:30:00.5Z")]
    [InlineData("2024-02-29T23:59:59+23:59", "2024-02-29T00:00:59Z")]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.9999999Z")]
    [InlineData("2017-01-01T00:59:60+01:00", "2016-12-31T23:59:59.9999999Z")]
    public void Timestamps_convert_offsets_to_the_same_instant(string text, string utc)
    {
        Assert.True(Rfc3339.TryParseDateTime(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void An_offset_beyond_14_hours_keeps_the_instant()
    {
        Assert.True(Rfc3339.TryParseDateTime("2026-03-15T20:00:00+20:00", out var value));

        Assert.Equal(new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero), value);
    }
}
