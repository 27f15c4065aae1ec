using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Benchmarks.Alerts;

/// <summary>In-control simulations of one CUSUM rule through the domain's own chart code.</summary>
/// <param name="Rule">The rule from the rules file.</param>
/// <param name="Procedure">The procedure the rule watches.</param>
internal sealed class CusumSimulation(CusumRule rule, string Procedure)
{
    private static readonly SignalScope Trust = SignalScope.Trust("RXX");
    private static readonly DateOnly Start = new(2020, 1, 1);

    // Every month is long mature on this date, so the chart adds them all (maturity is about reporting delay, not statistics).
    private static readonly DateOnly AsOf = new(2200, 1, 1);

    /// <summary>
    /// Patients one by one, each adverse with probability p₀, through <see cref="BernoulliCusum.Step(CusumState, bool, CusumWeights, double, CusumResetPolicy)"/>:
    /// whether the chart signals within the first <paramref name="patients"/> (the model the threshold was designed under).
    /// </summary>
    public bool SignalsWithinPatientByPatient(Random random, int patients)
    {
        var state = CusumState.Initial;
        var weights = rule.Weights;
        for (var i = 0; i < patients; i++)
        {
            var step = BernoulliCusum.Step(state, random.NextDouble() < rule.InControlRate, weights, rule.Threshold);
            if (step.Signalled)
            {
                return true;
            }

            state = step.State;
        }

        return false;
    }

    /// <summary>
    /// As deployed: a trust with <paramref name="patientsPerMonth"/> patients a month, each month's adverse count
    /// Binomial(patients, p₀), charted by <see cref="CusumChart.Advance"/> (the month's events spread through its
    /// patients); the last month is cut so exactly <paramref name="patients"/> are charted. Whether any month alarmed.
    /// </summary>
    public bool SignalsWithinAsDeployed(Random random, int patients, int patientsPerMonth)
    {
        var months = new List<CusumMonth>();
        var month = 0;
        for (var charted = 0; charted < patients; charted += patientsPerMonth, month++)
        {
            var n = Math.Min(patientsPerMonth, patients - charted);
            months.Add(new CusumMonth(MonthAt(month), n, Binomial(random, n, rule.InControlRate)));
        }

        return CusumChart.Advance(rule, Procedure, Trust, CusumChartState.Initial, months, AsOf).Findings.Count > 0;
    }

    /// <summary>
    /// As deployed, for <paramref name="years"/> years of <paramref name="patientsPerMonth"/> patients a month, the chart
    /// advanced once a month as <c>EvaluateSignals</c> does (state stored and resumed): the signals and the alarm
    /// months (findings) over the whole run.
    /// </summary>
    public (long Signals, int AlarmMonths) RunYearsAsDeployed(Random random, int years, int patientsPerMonth)
    {
        var state = CusumChartState.Initial;
        var alarms = 0;
        for (var month = 0; month < years * 12; month++)
        {
            CusumMonth[] one = [new CusumMonth(MonthAt(month), patientsPerMonth, Binomial(random, patientsPerMonth, rule.InControlRate))];
            var advance = CusumChart.Advance(rule, Procedure, Trust, state, one, AsOf);
            alarms += advance.Findings.Count;
            state = advance.State;
        }

        return (state.Chart.Signals, alarms);
    }

    private static SignalPeriod MonthAt(int index)
    {
        var date = Start.AddMonths(index);
        return SignalPeriod.Month(date.Year, date.Month);
    }

    private static long Binomial(Random random, int n, double p)
    {
        long events = 0;
        for (var i = 0; i < n; i++)
        {
            if (random.NextDouble() < p)
            {
                events++;
            }
        }

        return events;
    }
}
