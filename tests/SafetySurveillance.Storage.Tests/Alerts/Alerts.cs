using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Tests.Alerts;

/// <summary>Builders for alert decisions, made by the real <see cref="AlertDecider"/> from findings.</summary>
internal static class Alerts
{
    public static readonly DateTimeOffset Now = new(2026, 5, 4, 10, 30, 15, TimeSpan.Zero);

    public static Finding Death(string trust = "RX1", long deaths = 1, string procedure = "A48.4", int month = 3) => new(
        "death-sentinel",
        "sentinel",
        procedure,
        SignalScope.Trust(trust),
        SignalPeriod.Month(2026, month),
        deaths > 0 ? Severity.Alarm : Severity.None,
        new Evidence(deaths, 12),
        $"{deaths} Deaths in trust:{trust}.");

    public static Finding Funnel(SignalScope scope, Severity severity, long numerator = 4, string procedure = "A48.4") => new(
        "serious-related-funnel",
        "funnel",
        procedure,
        scope,
        SignalPeriod.AllTime,
        severity,
        new Evidence(numerator, 40, numerator / 40.0, 0.03, 0.2, 0.95, 0.039, 0.09, 0.13, Phi: 1.0),
        $"{scope}: funnel {severity}.");

    public static Finding Cusum(string trust = "RX1") => new(
        "serious-related-cusum",
        "cusum",
        "A48.4",
        SignalScope.Trust(trust),
        SignalPeriod.Month(2026, 1),
        Severity.Alarm,
        new Evidence(3, 9, 3 / 9.0, Benchmark: 0.039, CusumValue: 3.0, Threshold: 2.0),
        "CUSUM signal.");

    public static AlertDecision Decide(Finding finding, AlertState? previous = null, DateTimeOffset? at = null) =>
        AlertDecider.Decide(previous, finding, at ?? Now);
}
