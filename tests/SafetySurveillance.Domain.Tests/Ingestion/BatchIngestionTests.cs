using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Tests.Events;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Ingestion;

public sealed class BatchIngestionTests
{
    private static readonly Pseudonymiser Pseudonymiser = new(new PseudonymisationOptions { KeyId = "k1", Key = Convert.ToBase64String(new byte[32]) });

    private static IncomingEvent Incoming(JsonObject envelope, long sequence, string? publisher = "RJ1", int partition = 0) =>
        new(partition, sequence, EventSamples.Now, new AmqpCloudEventMessage("application/cloudevents+json", new Dictionary<string, object?>(), envelope.Bytes()), publisher);

    private static (ScreenedBatch Screened, AggregatedBatch Aggregated, Dictionary<string, TrustRegistryState> States) Ingest(
        IReadOnlyList<IncomingEvent> events, Dictionary<string, TrustRegistryState>? states = null)
    {
        states ??= new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
        var screened = BatchIngestion.Screen(events, new IngestionRules());
        var aggregated = BatchIngestion.Aggregate(screened, Pseudonymiser, ods => states.TryGetValue(ods, out var s) ? s : states[ods] = new TrustRegistryState());
        return (screened, aggregated, states);
    }

    [Fact]
    public void A_valid_event_from_its_own_publisher_is_accepted()
    {
        var (screened, aggregated, _) = Ingest([Incoming(EventSamples.Procedure(), 1)]);

        Assert.Single(screened.Accepted);
        Assert.Empty(screened.Rejected);
        Assert.Equal(1, aggregated.Counted);
        Assert.Equal(9, aggregated.Contributions.Count);
    }

    [Fact]
    public void An_event_whose_source_is_another_trust_is_rejected_with_the_reason()
    {
        var (screened, _, _) = Ingest([Incoming(EventSamples.Procedure(), 1, publisher: "RX1")]);

        var letter = Assert.Single(screened.Rejected);
        Assert.Equal("RX1", letter.Trust);
        Assert.Equal("source", letter.Problems[0].Path);
        Assert.Contains("RX1", letter.Problems[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_sent_without_a_publisher_is_rejected_when_publishers_are_required()
    {
        var (screened, _, _) = Ingest([Incoming(EventSamples.Procedure(), 1, publisher: null)]);

        var letter = Assert.Single(screened.Rejected);
        Assert.Equal("RJ1", letter.Trust);
        Assert.Contains("publisher", letter.Problems[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_event_becomes_a_dead_letter_with_every_problem_and_its_exact_bytes()
    {
        var bad = EventSamples.Outcome();
        bad.Data()["painNrs"] = 11;
        bad.Data()["odi"] = 101;
        var incoming = Incoming(bad, 5);

        var (screened, aggregated, _) = Ingest([incoming]);

        var letter = Assert.Single(screened.Rejected);
        Assert.Equal(2, letter.Problems.Count);
        Assert.Equal(5, letter.SequenceNumber);
        Assert.Equal(incoming.Message.Body.ToArray(), letter.Payload.ToArray());
        Assert.Equal(0, aggregated.Counted);
    }

    [Fact]
    public void A_trust_resending_an_event_id_is_counted_once_but_a_redelivery_of_the_same_message_is_recognised()
    {
        var first = Incoming(EventSamples.Procedure(), 1);
        var resend = Incoming(EventSamples.Procedure(), 2);

        var (_, aggregated, states) = Ingest([first, resend]);
        var (_, replayed, _) = Ingest([first], states);

        Assert.Equal(1, aggregated.Counted);
        Assert.Equal(1, aggregated.Duplicates);
        Assert.Single(aggregated.LedgerEntries["RJ1"]);
        Assert.Equal(1, replayed.Counted);
        Assert.Empty(replayed.LedgerEntries);
    }

    [Fact]
    public void Outcomes_link_to_their_procedure_and_carry_the_change_from_baseline()
    {
        var procedure = EventSamples.Procedure();
        var baseline = EventSamples.Outcome();
        baseline["id"] = "outc-base";
        baseline.Data()["procedureDate"] = "2026-01-10";
        baseline.Data()["timepoint"] = "baseline";
        baseline.Data()["assessmentDate"] = "2026-01-09";
        baseline.Data()["painNrs"] = 8;
        baseline.Data().Remove("pgic");
        var later = EventSamples.Outcome();
        later.Data()["procedureDate"] = "2026-01-10";
        later.Data()["timepoint"] = "3-months";
        later.Data()["painNrs"] = 4;

        var (screened, aggregated, _) = Ingest([Incoming(procedure, 1), Incoming(baseline, 2), Incoming(later, 3)]);
        Assert.Empty(screened.Rejected.SelectMany(r => r.Problems).Select(p => p.ToString()));

        var laterContribution = Assert.IsType<OutcomeContribution>(aggregated.Contributions.Single(c => c.Contribution.SequenceNumber == 3 && c.Key.Scope.Kind == SignalScopeKind.National && c.Key.Period.Kind == SignalPeriodKind.AllTime).Contribution.Contribution);
        Assert.Equal(new MeasureObservation(4, -4, true), laterContribution.PainNrs);
        Assert.Contains(aggregated.Contributions, c => c.Contribution.SequenceNumber == 3 && c.Key.Scope == SignalScope.Device("05012345678900"));
        Assert.All(aggregated.Contributions.Where(c => c.Contribution.SequenceNumber == 3), c => Assert.Equal("A48.4", c.Key.Procedure));
    }

    [Fact]
    public void A_report_for_an_unknown_procedure_counts_as_unlinked_and_a_second_report_at_a_timepoint_adds_nothing()
    {
        var outcome = EventSamples.Outcome();
        var again = EventSamples.Outcome();
        again["id"] = "outc-again";

        var (_, aggregated, _) = Ingest([Incoming(outcome, 1), Incoming(again, 2)]);

        Assert.Equal(2, aggregated.Counted);
        Assert.All(aggregated.Contributions, c => Assert.Equal(SignalProjection.UnlinkedProcedure, c.Key.Procedure));
        Assert.DoesNotContain(aggregated.Contributions, c => c.Contribution.SequenceNumber == 2);
        Assert.DoesNotContain(aggregated.Contributions, c => c.Key.Scope.Kind == SignalScopeKind.Device);
    }

    [Fact]
    public void Only_the_first_procedure_of_a_patient_is_flagged_first()
    {
        var second = EventSamples.Procedure();
        second["id"] = "proc-0002";

        var (_, aggregated, _) = Ingest([Incoming(EventSamples.Procedure(), 1), Incoming(second, 2)]);

        var facts = aggregated.Contributions.Where(c => c.Key.Scope.Kind == SignalScopeKind.National && c.Key.Period.Kind == SignalPeriodKind.AllTime)
            .Select(c => ((ProcedureContribution)c.Contribution.Contribution).Facts).ToList();
        Assert.True(facts[0].HasFlag(ProcedureFacts.FirstForPatient));
        Assert.False(facts[1].HasFlag(ProcedureFacts.FirstForPatient));
    }

    [Fact]
    public void No_pseudonym_or_NHS_number_reaches_a_contribution()
    {
        var (_, aggregated, _) = Ingest([Incoming(EventSamples.Procedure(), 1)]);

        var text = string.Join("|", aggregated.Contributions.Select(c => c.Key.ToString() + c.Contribution.Contribution));
        Assert.DoesNotContain(EventSamples.ValidNhsNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Pseudonymiser.Pseudonymise(new NhsNumberProbe().Number).Value, text, StringComparison.Ordinal);
    }

    private sealed class NhsNumberProbe
    {
        public NhsNumber Number { get; } = NhsNumber.TryParse(EventSamples.ValidNhsNumber, out var n, out _) ? n! : throw new InvalidOperationException();
    }
}
