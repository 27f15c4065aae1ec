using System.Runtime.CompilerServices;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Rules;

/// <summary>Builds signal rows from real contributions, so the tests go through the same counting as ingestion.</summary>
internal static class RowBuilder
{
    public static readonly DateOnly January2025 = new(2025, 1, 15);

    /// <summary>
    /// A row with <paramref name="patients"/> first procedures, <paramref name="withSeriousRelated"/> of them with a
    /// first serious device-related event, plus <paramref name="deaths"/> fatal events and
    /// <paramref name="twelveMonthReports"/> 12-month outcome reports, all in the cohort of <paramref name="date"/>.
    /// </summary>
    public static SignalDelta Row(int patients, int withSeriousRelated = 0, int deaths = 0, int unanticipatedSeriousDevice = 0, int twelveMonthReports = 0, DateOnly? date = null)
    {
        DateOnly day = date ?? January2025;
        var delta = new SignalDelta();
        for (int i = 0; i < patients; i++)
        {
            delta.Add(new ProcedureContribution(day, ProcedureFacts.FirstForPatient));
        }

        for (int i = 0; i < withSeriousRelated; i++)
        {
            delta.Add(new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.FirstSeriousRelatedForPatient, ["E0101"]));
        }

        for (int i = 0; i < deaths; i++)
        {
            delta.Add(new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.Death, ["E0101"]));
        }

        for (int i = 0; i < unanticipatedSeriousDevice; i++)
        {
            delta.Add(new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.Unanticipated, ["A0101"]));
        }

        for (int i = 0; i < twelveMonthReports; i++)
        {
            delta.Add(new OutcomeContribution(day, OutcomeTimepoint.Month12, odi: new MeasureObservation(20)));
        }

        return delta;
    }

    public static ScopedRow Trust(string ods, SignalDelta row) => new(SignalScope.Trust(ods), row);

    public static ScopedRow National(SignalDelta row) => new(SignalScope.National, row);

    public static SignalSnapshot Snapshot(SignalPeriod period, DateOnly asOf, params ScopedRow[] rows) => new("A48.4", period, rows, asOf);

    public static SignalSnapshot AllTime(params ScopedRow[] rows) => Snapshot(SignalPeriod.AllTime, new DateOnly(2026, 6, 1), rows);

    public static string RepositoryFile(string relative, [CallerFilePath] string thisFile = "")
    {
        for (string? directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "SafetySurveillance.sln")))
            {
                return Path.Combine(directory, relative);
            }
        }

        throw new DirectoryNotFoundException("The repository root was not found above " + thisFile);
    }

    /// <summary>Loads a rules file of one procedure holding the given rule objects (JSON text).</summary>
    public static ProcedureRules RulesOf(params string[] ruleJson)
    {
        SignalRulesLoadResult result = SignalRulesLoader.Parse(RulesFile("A48.4", ruleJson));
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        return result.Rules!.Procedures[0];
    }

    public static string RulesFile(string procedure, params string[] ruleJson)
        => $$"""{ "schemaVersion": 1, "procedures": [ { "procedureCode": "{{procedure}}", "rules": [ {{string.Join(",", ruleJson)}} ] } ] }""";
}
