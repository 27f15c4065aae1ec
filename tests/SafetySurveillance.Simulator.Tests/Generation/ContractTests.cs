using System.Text;
using NJsonSchema;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Tests.Support;
using SafetySurveillance.TestInfrastructure;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Generation;

public sealed class ContractTests
{
    [Fact]
    public void Every_valid_event_passes_the_reader_and_every_malformed_one_fails_at_its_expected_path()
    {
        var run = Runs.Generate(new SimulationOptions { Seed = 3, EventCount = 6_000, MalformedFraction = 0.15, DuplicateFraction = 0.05 });

        foreach (var e in run.Events)
        {
            var result = SafetyEventReader.Read(e.Body, Runs.Now);
            if (e.Kind == SimulatedEventKind.Malformed)
            {
                Assert.False(result.IsValid, $"malformed message {e.Sequence} ({e.Malformation}) was accepted");
                Assert.Contains(result.Problems, p => p.Path == e.ExpectedProblemPath);
            }
            else
            {
                Assert.True(result.IsValid, $"message {e.Sequence} was rejected: {string.Join("; ", result.Problems)}");
                Assert.Equal(e.TrustOds, result.Event.Envelope.OdsCode);
                Assert.Equal(e.EventId, result.Event.Envelope.Id);
                Assert.Equal(e.Type, result.Event.Envelope.Type);
            }
        }

        Assert.Equal(Malformations.All.ToHashSet(), run.Events.Where(e => e.Malformation is not null).Select(e => e.Malformation!.Value).ToHashSet());
    }

    [Fact]
    public async Task Every_valid_event_matches_its_published_JSON_schema()
    {
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var type in SafetyEventTypes.All)
        {
            schemas[type] = await JsonSchema.FromFileAsync(RepositoryPaths.RequireFile("schemas", type + ".schema.json"), TestContext.Current.CancellationToken);
        }

        var run = Runs.Generate(new SimulationOptions { Seed = 11, EventCount = 3_000 });
        foreach (var e in run.Events.Where(e => e.Kind == SimulatedEventKind.Valid))
        {
            var errors = schemas[e.Type].Validate(Encoding.UTF8.GetString(e.Body.Span));
            Assert.True(errors.Count == 0, $"message {e.Sequence}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void Resends_repeat_an_earlier_valid_event_of_the_same_trust_byte_for_byte()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 3_000, DuplicateFraction = 0.1 });

        var duplicates = run.Events.Where(e => e.Kind == SimulatedEventKind.Duplicate).ToList();
        Assert.Equal(300, duplicates.Count);
        foreach (var d in duplicates)
        {
            var original = run.Events[d.OriginalSequence!.Value];
            Assert.True(original.Sequence < d.Sequence);
            Assert.Equal(SimulatedEventKind.Valid, original.Kind);
            Assert.Equal(original.TrustOds, d.TrustOds);
            Assert.Equal(original.EventId, d.EventId);
            Assert.True(original.Body.Span.SequenceEqual(d.Body.Span));
        }

        var firstSends = run.Events.Where(e => e.Kind == SimulatedEventKind.Valid).Select(e => (e.TrustOds, e.EventId)).ToList();
        Assert.Equal(firstSends.Count, firstSends.Distinct().Count());
    }

    [Fact]
    public void Messages_are_in_report_order_and_none_is_reported_after_now()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 4_000 });

        var firstSends = run.Events.Where(e => e.Kind != SimulatedEventKind.Duplicate).ToList();
        Assert.All(firstSends.Zip(firstSends.Skip(1)), pair => Assert.True(pair.First.ReportedAt <= pair.Second.ReportedAt));
        Assert.All(run.Events, e => Assert.True(e.ReportedAt < Runs.Now));
    }

    [Fact]
    public void Every_NHS_number_is_a_distinct_test_number_with_a_valid_check_digit()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 5_000, MalformedFraction = 0 });

        var numbers = run.Events.Where(e => e.Type == SafetyEventTypes.ProcedurePerformedV1)
            .Select(e => Runs.Data(e).GetProperty("nhsNumber").GetString()!)
            .ToList();
        Assert.NotEmpty(numbers);
        Assert.All(numbers, n =>
        {
            Assert.StartsWith("999", n, StringComparison.Ordinal);
            Assert.True(NhsNumber.HasValidCheckDigit(n));
        });
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void Trusts_have_distinct_valid_ODS_codes_and_the_seventh_has_the_injected_excess()
    {
        var run = Runs.Generate(new SimulationOptions { TrustCount = 40, EventCount = 100 });

        Assert.Equal(40, run.Trusts.Select(t => t.OdsCode).Distinct().Count());
        Assert.All(run.Trusts, t => Assert.True(OdsCode.IsValid(t.OdsCode) && t.OdsCode[0] == 'R' && t.OdsCode.Length == 3, t.OdsCode));
        Assert.Equal([run.Trusts[6].OdsCode], run.Trusts.Where(t => t.HasInjectedExcess).Select(t => t.OdsCode));
        Assert.All(run.Trusts, t => Assert.InRange(t.Devices.Count, 2, 3));
    }

    [Fact]
    public void Follow_ups_are_reported_only_for_timepoints_already_due_and_only_for_procedures_in_the_run()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 8_000, MalformedFraction = 0 });
        var today = DateOnly.FromDateTime(Runs.Now.UtcDateTime);
        var procedures = run.Events.Where(e => e.Type == SafetyEventTypes.ProcedurePerformedV1)
            .ToDictionary(e => (e.TrustOds, e.EventId!), e => Runs.Date(Runs.Data(e), "procedureDate"));

        var seenTimepoints = new HashSet<string>();
        foreach (var e in run.Events.Where(e => e.Type != SafetyEventTypes.ProcedurePerformedV1))
        {
            var data = Runs.Data(e);
            var procedureId = data.GetProperty("procedureId").GetString()!;
            Assert.True(procedures.TryGetValue((e.TrustOds, procedureId), out var procedureDate), $"message {e.Sequence} points at an unknown procedure");
            Assert.Equal(procedureDate, Runs.Date(data, "procedureDate"));
            if (e.Type == SafetyEventTypes.OutcomeReportedV1)
            {
                var timepointName = data.GetProperty("timepoint").GetString()!;
                seenTimepoints.Add(timepointName);
                Assert.True(OutcomeReportedJson.Timepoints.TryGet(timepointName, out var timepoint));
                Assert.True(procedureDate.AddMonths(ClinicalModel.MonthsAfter(timepoint)) < today, $"message {e.Sequence}: {timepointName} is not yet due");
            }
        }

        Assert.Equal(OutcomeReportedJson.Timepoints.Names.ToHashSet(), seenTimepoints);
    }

    [Fact]
    public void Every_outcome_and_adverse_event_comes_after_its_procedure_in_the_stream()
    {
        var run = Runs.Generate(new SimulationOptions { Seed = 21, EventCount = 8_000, DuplicateFraction = 0.05 });
        var procedureAt = run.Events.Where(e => e.Kind == SimulatedEventKind.Valid && e.Type == SafetyEventTypes.ProcedurePerformedV1)
            .ToDictionary(e => (e.TrustOds, e.EventId!), e => e.Sequence);

        var dependents = run.Events.Where(e => e.Kind != SimulatedEventKind.Malformed && e.Type != SafetyEventTypes.ProcedurePerformedV1).ToList();
        Assert.NotEmpty(dependents);
        Assert.All(dependents, e =>
            Assert.True(procedureAt[(e.TrustOds, Runs.Data(e).GetProperty("procedureId").GetString()!)] < e.Sequence, $"message {e.Sequence} precedes its procedure"));
    }
}
