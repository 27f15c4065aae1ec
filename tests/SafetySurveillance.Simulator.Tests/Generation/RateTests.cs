using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Generation;

/// <summary>
/// One large run (fixed seed), read back through the domain reader, so the rates are measured on what an
/// ingesting service would see. Tolerances are about three standard errors at this sample size.
/// </summary>
public sealed class LargeRun
{
    public LargeRun()
    {
        Run = Runs.Generate(new SimulationOptions { Seed = 7, EventCount = 150_000, MalformedFraction = 0.01 });
        foreach (var e in Run.Events.Where(e => e.Kind == SimulatedEventKind.Valid))
        {
            var result = SafetyEventReader.Read(e.Body, Runs.Now);
            Assert.True(result.IsValid);
            switch (result.Event)
            {
                case ValidatedProcedurePerformed p:
                    Procedures.Add(new Procedure(e.TrustOds, p.Envelope.Id, p.Data.ProcedureDate));
                    break;
                case ValidatedOutcomeReported o:
                    Outcomes.Add((e.TrustOds, o.Data));
                    break;
                case ValidatedAdverseEventReported a:
                    AdverseEvents.Add((e.TrustOds, a.Data));
                    break;
            }
        }

        Injected = Run.Trusts.Single(t => t.HasInjectedExcess).OdsCode;
    }

    public SimulationRun Run { get; }

    public string Injected { get; }

    public List<Procedure> Procedures { get; } = [];

    public List<(string Trust, OutcomeReported Data)> Outcomes { get; } = [];

    public List<(string Trust, Domain.Events.AdverseEvents.AdverseEventReported Data)> AdverseEvents { get; } = [];

    public DateOnly Today => DateOnly.FromDateTime(Runs.Now.UtcDateTime);

    public sealed record Procedure(string Trust, string Id, DateOnly Date);
}

public sealed class RateTests(LargeRun large) : IClassFixture<LargeRun>
{
    [Fact]
    public void Serious_procedure_or_device_related_events_in_the_first_year_are_about_3_9_percent_of_procedures()
    {
        var yearOld = large.Procedures.Where(p => p.Trust != large.Injected && p.Date.AddDays(365) < large.Today).ToDictionary(p => (p.Trust, p.Id));
        var events = large.AdverseEvents.Count(a =>
            yearOld.TryGetValue((a.Trust, a.Data.ProcedureId), out var p)
            && a.Data.IsSerious && (a.Data.IsDeviceRelated || a.Data.IsProcedureRelated)
            && a.Data.OnsetDate.DayNumber - p.Date.DayNumber < 365);

        Assert.True(yearOld.Count > 20_000, $"only {yearOld.Count} procedures with a year of follow-up");
        Assert.InRange((double)events / yearOld.Count, 0.034, 0.044);
    }

    [Fact]
    public void Follow_up_completeness_falls_to_about_57_percent_at_12_months()
    {
        double Completeness(OutcomeTimepoint timepoint)
        {
            var due = large.Procedures.Where(p => p.Date.AddMonths(ClinicalModel.MonthsAfter(timepoint)) < large.Today).Select(p => (p.Trust, p.Id)).ToHashSet();
            var reported = large.Outcomes.Where(o => o.Data.Timepoint == timepoint && due.Contains((o.Trust, o.Data.ProcedureId))).Select(o => (o.Trust, o.Data.ProcedureId)).ToHashSet();
            return (double)reported.Count / due.Count;
        }

        var baseline = Completeness(OutcomeTimepoint.Baseline);
        var month3 = Completeness(OutcomeTimepoint.Month3);
        var month6 = Completeness(OutcomeTimepoint.Month6);
        var month12 = Completeness(OutcomeTimepoint.Month12);
        var month24 = Completeness(OutcomeTimepoint.Month24);

        Assert.InRange(month12, 0.53, 0.61);
        Assert.True(baseline > month3 && month3 > month6 && month6 > month12 && month12 > month24, $"{baseline} {month3} {month6} {month12} {month24}");
    }

    [Fact]
    public void Patient_reported_outcomes_improve_as_published()
    {
        IEnumerable<OutcomeReported> At(OutcomeTimepoint t) => large.Outcomes.Select(o => o.Data).Where(o => o.Timepoint == t);

        Assert.InRange(At(OutcomeTimepoint.Baseline).Where(o => o.PainNrs is not null).Average(o => o.PainNrs!.Value), 6.5, 7.1);
        Assert.InRange(At(OutcomeTimepoint.Month12).Where(o => o.PainNrs is not null).Average(o => o.PainNrs!.Value), 3.0, 4.2);
        Assert.InRange(At(OutcomeTimepoint.Baseline).Where(o => o.Odi is not null).Average(o => o.Odi!.Value), 42, 48);
        Assert.InRange(At(OutcomeTimepoint.Month12).Where(o => o.Odi is not null).Average(o => o.Odi!.Value), 20, 28);
        Assert.InRange(At(OutcomeTimepoint.Baseline).Where(o => o.Eq5d5lIndex is not null).Average(o => (double)o.Eq5d5lIndex!.Value), 0.40, 0.47);
        Assert.InRange(At(OutcomeTimepoint.Month12).Where(o => o.Eq5d5lIndex is not null).Average(o => (double)o.Eq5d5lIndex!.Value), 0.62, 0.76);
        Assert.InRange(At(OutcomeTimepoint.Month12).Where(o => o.Pgic is not null).Average(o => o.Pgic!.Value), 5.0, 6.7);
    }

    [Fact]
    public void Malformed_events_are_about_the_configured_fraction_and_of_every_kind()
    {
        var malformed = large.Run.MalformedCount;

        Assert.InRange((double)malformed / large.Run.Events.Count, 0.008, 0.012);
        Assert.All(Malformations.All, kind => Assert.True(large.Run.Events.Count(e => e.Malformation == kind) > 50, $"{kind} is rare"));
    }

    [Fact]
    public void The_injected_trust_has_about_four_times_the_odds_of_serious_device_related_events()
    {
        var procedures = large.Procedures.GroupBy(p => p.Trust).ToDictionary(g => g.Key, g => g.Count());
        var events = large.AdverseEvents.Where(a => a.Data.IsSerious && a.Data.IsDeviceRelated).GroupBy(a => a.Trust).ToDictionary(g => g.Key, g => g.Count());
        double Rate(string trust) => (double)events.GetValueOrDefault(trust) / procedures[trust];

        var injected = Rate(large.Injected);
        var othersEvents = events.Where(e => e.Key != large.Injected).Sum(e => e.Value);
        var othersProcedures = procedures.Where(p => p.Key != large.Injected).Sum(p => p.Value);
        var others = (double)othersEvents / othersProcedures;
        var oddsRatio = injected / (1 - injected) / (others / (1 - others));

        Assert.InRange(oddsRatio, 2.5, 6.0);
        Assert.All(procedures.Keys.Where(t => t != large.Injected), t => Assert.True(Rate(t) < injected, $"{t} has {Rate(t):P1}, the injected trust {injected:P1}"));
    }
}
