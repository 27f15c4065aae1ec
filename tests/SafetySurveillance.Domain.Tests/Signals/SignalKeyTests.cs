using CsCheck;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalKeyTests
{
    [Fact]
    public void Keys_follow_the_documented_table_layout()
    {
        SignalKey key = SignalKey.Create("A48.3", SignalPeriod.Month(2026, 3), SignalScope.Trust("rx1"));
        Assert.Equal("A48.3|2026-03", key.PartitionKey);
        Assert.Equal("trust:RX1", key.RowKey);
        Assert.Equal("A48.3|2026-Q1", SignalKey.Create("A48.3", SignalPeriod.Quarter(2026, 1), SignalScope.National).PartitionKey);
        Assert.Equal("A48.3|all", SignalKey.Create("A48.3", SignalPeriod.AllTime, SignalScope.National).PartitionKey);
        Assert.Equal("national", SignalKey.Create("A48.3", SignalPeriod.AllTime, SignalScope.National).RowKey);
    }

    [Fact]
    public void Characters_Azure_Tables_forbid_are_percent_encoded()
    {
        SignalKey key = SignalKey.Create("A/B#C?D\\E", SignalPeriod.AllTime, SignalScope.Device("+H123/ABC|1:2'\u0007"));
        Assert.Equal("A%2FB%23C%3FD%5CE|all", key.PartitionKey);
        Assert.Equal("device:+H123%2FABC%7C1%3A2%27%07", key.RowKey);
        Assert.True(TableKeyEncoding.IsValidTableKey(key.PartitionKey));
        Assert.True(TableKeyEncoding.IsValidTableKey(key.RowKey));
    }

    [Fact]
    public void Any_text_encodes_to_a_valid_key_component_and_decodes_back()
    {
        Gen.String.Where(s => !HasLoneSurrogate(s)).Sample(
            text =>
            {
                string encoded = TableKeyEncoding.Encode(text);
                Assert.True(TableKeyEncoding.IsValidTableKey(encoded) || encoded.Length > TableKeyEncoding.MaxKeyLength);
                Assert.DoesNotContain('|', encoded);
                Assert.DoesNotContain(':', encoded);
                Assert.DoesNotContain('\'', encoded);
                Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
                Assert.True(TableKeyEncoding.TryDecode(encoded, out string back));
                Assert.Equal(text, back);
            },
            iter: 2_000);
    }

    [Fact]
    public void Any_key_parses_back_from_its_partition_and_row_keys()
    {
        Gen<SignalKey> keys =
            from procedure in Gen.String[1, 20].Where(s => !string.IsNullOrWhiteSpace(s) && !HasLoneSurrogate(s))
            from kind in Gen.Int[0, 2]
            from year in Gen.Int[1990, 2100]
            from number in Gen.Int[1, 12]
            from scopeKind in Gen.Int[0, 2]
            from value in Gen.String[1, 30].Where(s => !string.IsNullOrWhiteSpace(s) && !HasLoneSurrogate(s))
            let period = kind switch { 0 => SignalPeriod.Month(year, number), 1 => SignalPeriod.Quarter(year, ((number - 1) / 3) + 1), _ => SignalPeriod.AllTime }
            let scope = scopeKind switch { 0 => SignalScope.National, 1 => SignalScope.Trust(value), _ => SignalScope.Device(value) }
            select SignalKey.Create(procedure, period, scope);

        keys.Sample(
            key =>
            {
                Assert.True(SignalKey.TryParse(key.PartitionKey, key.RowKey, out SignalKey back));
                Assert.Equal(key, back);
            },
            iter: 1_000);
    }

    [Theory]
    [InlineData("A48.3|2026-13", "national")]
    [InlineData("A48.3|2026-Q5", "national")]
    [InlineData("A48.3|2026-3", "national")]
    [InlineData("A48.3", "national")]
    [InlineData("|2026-03", "national")]
    [InlineData("A%2f|2026-03", "national")]
    [InlineData("A%41|2026-03", "national")]
    [InlineData("A48.3|2026-03", "trust:rx1")]
    [InlineData("A48.3|2026-03", "region:X")]
    [InlineData("A48.3|2026-03", "device:")]
    [InlineData("A48.3|2026-03", "device:%ZZ")]
    public void Keys_this_library_cannot_have_written_do_not_parse(string partitionKey, string rowKey)
    {
        Assert.False(SignalKey.TryParse(partitionKey, rowKey, out _));
    }

    [Fact]
    public void An_observation_touches_three_periods_for_national_trust_and_device()
    {
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];
        int count = SignalKey.WriteTouched(keys, "A48.3", new DateOnly(2026, 5, 31), "RX1", "05012345678900");
        Assert.Equal(9, count);
        Assert.Equal(
            ["A48.3|2026-05", "A48.3|2026-05", "A48.3|2026-05", "A48.3|2026-Q2", "A48.3|2026-Q2", "A48.3|2026-Q2", "A48.3|all", "A48.3|all", "A48.3|all"],
            keys.Select(k => k.PartitionKey));
        Assert.Equal(["national", "trust:RX1", "device:05012345678900"], keys[..3].Select(k => k.RowKey));
    }

    [Fact]
    public void Without_a_device_an_observation_touches_six_rows()
    {
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];
        Assert.Equal(6, SignalKey.WriteTouched(keys, "A48.3", new DateOnly(2026, 1, 1), "RX1", null));
    }

    [Fact]
    public void Oversized_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SignalKey.Create(new string('/', 200), SignalPeriod.AllTime, SignalScope.National));
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
