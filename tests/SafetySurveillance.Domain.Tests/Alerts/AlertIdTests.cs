using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Alerts;

public sealed class AlertIdTests
{
    [Fact]
    public void An_alert_id_reads_as_procedure_period_rule_and_scope()
    {
        AlertId id = AlertId.For("A48.4", SignalPeriod.Month(2026, 3), "death-sentinel", SignalScope.Trust("rx1"));

        Assert.Equal("A48.4|2026-03|death-sentinel|trust:RX1", id.Value);
        Assert.True(TableKeyEncoding.IsValidTableKey(id.Value));
    }

    [Fact]
    public void The_same_finding_always_gives_the_same_id_and_each_part_distinguishes_it()
    {
        var evidence = new Evidence(1, 10);
        Finding finding = new("death-sentinel", "sentinel", "A48.4", SignalScope.Trust("RX1"), SignalPeriod.Month(2026, 3), Severity.Alarm, evidence, "one death");

        Assert.Equal(AlertId.For(finding), AlertId.For(finding with { Severity = Severity.None, Evidence = new Evidence(2, 11), Summary = "two" }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { Scope = SignalScope.Trust("RX2") }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { Scope = SignalScope.Device("RX1") }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { Period = SignalPeriod.Month(2026, 4) }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { Period = SignalPeriod.Quarter(2026, 1) }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { RuleId = "death-sentinel-2" }));
        Assert.NotEqual(AlertId.For(finding), AlertId.For(finding with { Procedure = "A48.3" }));
    }

    [Fact]
    public void Separators_and_forbidden_characters_in_values_are_encoded_so_ids_cannot_collide()
    {
        AlertId id = AlertId.For("A|1", SignalPeriod.AllTime, "rate", SignalScope.Device("05/01#2?"));

        Assert.Equal("A%7C1|all|rate|device:05%2F01%232%3F", id.Value);
        Assert.True(TableKeyEncoding.IsValidTableKey(id.Value));
    }

    [Theory]
    [InlineData("Rate")]
    [InlineData("rate|x")]
    [InlineData(" ")]
    public void A_rule_id_outside_the_key_safe_alphabet_is_refused(string ruleId)
    {
        Assert.ThrowsAny<ArgumentException>(() => AlertId.For("A48.4", SignalPeriod.AllTime, ruleId, SignalScope.National));
    }
}
