using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>One event as delivered by Event Hubs (or the gateway), before any checks.</summary>
/// <param name="Partition">Event Hubs partition (numeric id).</param>
/// <param name="SequenceNumber">Sequence number in the partition.</param>
/// <param name="EnqueuedTime">When the service accepted it: the "now" that dates are judged against, so a redelivery is judged exactly as the first delivery was.</param>
/// <param name="Message">Content type, application properties and body bytes.</param>
/// <param name="Publisher">The publisher endpoint it was sent through, if any.</param>
public sealed record IncomingEvent(int Partition, long SequenceNumber, DateTimeOffset EnqueuedTime, AmqpCloudEventMessage Message, string? Publisher);

/// <summary>Settings of the ingestion checks.</summary>
public sealed record IngestionRules
{
    /// <summary>Reject events not sent through a publisher endpoint (production: every trust has a publisher-scoped send rule).</summary>
    public bool RequirePublisher { get; init; } = true;

    /// <summary>How far a sender's clock may run ahead of the service's before a timestamp counts as "in the future".</summary>
    public TimeSpan ClockSkewAllowance { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>The first, storage-free stage: every event read and validated, publisher checked; rejects become dead letters.</summary>
public sealed record ScreenedBatch(IReadOnlyList<(IncomingEvent Incoming, ValidatedSafetyEvent Event)> Accepted, IReadOnlyList<DeadLetter> Rejected)
{
    /// <summary>The trusts whose state the second stage needs.</summary>
    public IReadOnlyList<string> Trusts => [.. Accepted.Select(a => a.Event.Envelope.OdsCode).Distinct(StringComparer.Ordinal)];
}

/// <summary>The second stage's result: what to write.</summary>
/// <param name="Contributions">Every (row, sequenced contribution) to apply; one event appears under each row it touches.</param>
/// <param name="LedgerEntries">New ledger entries per trust (events counted for the first time).</param>
/// <param name="Counted">Events counted (new or redelivered).</param>
/// <param name="Duplicates">Events skipped because the trust had sent the same id before.</param>
public sealed record AggregatedBatch(
    IReadOnlyList<(SignalKey Key, SequencedContribution Contribution)> Contributions,
    IReadOnlyDictionary<string, List<LedgerEntry>> LedgerEntries,
    int Counted,
    int Duplicates);

/// <summary>
/// Ingestion of one Event Hubs batch, as pure functions around the storage steps:
/// <see cref="Screen"/> (parse, validate, check the publisher), then — with each touched trust's registry state
/// loaded — <see cref="Aggregate"/> (pseudonymise, de-duplicate, project to signal contributions in sequence order).
/// </summary>
public static class BatchIngestion
{
    /// <summary>Reads and checks every event; never throws for bad input.</summary>
    public static ScreenedBatch Screen(IReadOnlyList<IncomingEvent> events, IngestionRules rules)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rules);
        var accepted = new List<(IncomingEvent, ValidatedSafetyEvent)>(events.Count);
        var rejected = new List<DeadLetter>();
        foreach (var incoming in events)
        {
            var result = SafetyEventReader.Read(incoming.Message, incoming.EnqueuedTime + rules.ClockSkewAllowance);
            var publisher = NormalisePublisher(incoming.Publisher);
            if (!result.IsValid)
            {
                rejected.Add(Reject(incoming, ValidTrust(publisher) ?? TrustOf(result.Source), result.Id, null, result.Problems));
                continue;
            }

            var validated = result.Event!;
            var ods = validated.Envelope.OdsCode;
            if (publisher is null && rules.RequirePublisher)
            {
                rejected.Add(Reject(incoming, ods, validated.Envelope.Id, validated.Envelope.Type,
                    [new ValidationProblem("$", "was not sent through a trust publisher endpoint (safety-events/publishers/{ODS code}); trusts must send with their publisher-scoped key")]));
                continue;
            }

            if (publisher is not null && !string.Equals(publisher, ods, StringComparison.Ordinal))
            {
                rejected.Add(Reject(incoming, ValidTrust(publisher), validated.Envelope.Id, validated.Envelope.Type,
                    [new ValidationProblem("source", $"'{validated.Envelope.Source}' is not the sending trust: it was sent through the publisher of trust {publisher}")]));
                continue;
            }

            accepted.Add((incoming, validated));
        }

        return new ScreenedBatch(accepted, rejected);
    }

    /// <summary>
    /// Pseudonymises, de-duplicates and projects the accepted events in sequence order, updating each trust's state.
    /// </summary>
    public static AggregatedBatch Aggregate(ScreenedBatch screened, Pseudonymiser pseudonymiser, Func<string, TrustRegistryState> stateOf)
    {
        ArgumentNullException.ThrowIfNull(screened);
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        ArgumentNullException.ThrowIfNull(stateOf);
        var contributions = new List<(SignalKey, SequencedContribution)>();
        var ledger = new Dictionary<string, List<LedgerEntry>>(StringComparer.Ordinal);
        int counted = 0, duplicates = 0;
        foreach (var (incoming, validated) in screened.Accepted.OrderBy(a => a.Incoming.Partition).ThenBy(a => a.Incoming.SequenceNumber))
        {
            var ods = validated.Envelope.OdsCode;
            var state = stateOf(ods);
            var fingerprint = EventFingerprint.Of(validated.Envelope.Id);
            var verdict = state.Events.Record(fingerprint, incoming.Partition, incoming.SequenceNumber);
            if (verdict == LedgerVerdict.Duplicate)
            {
                duplicates++;
                continue;
            }

            if (verdict == LedgerVerdict.New)
            {
                if (!ledger.TryGetValue(ods, out var entries))
                {
                    ledger[ods] = entries = [];
                }

                entries.Add(new LedgerEntry(fingerprint, incoming.Partition, incoming.SequenceNumber));
            }

            counted++;
            var projected = SignalProjection.Project(pseudonymiser.Pseudonymise(validated), state);
            if (projected.Contribution is { } contribution)
            {
                foreach (var key in projected.Keys)
                {
                    contributions.Add((key, new SequencedContribution(incoming.SequenceNumber, contribution)));
                }
            }
        }

        return new AggregatedBatch(contributions, ledger, counted, duplicates);
    }

    private static string? NormalisePublisher(string? publisher) =>
        string.IsNullOrWhiteSpace(publisher) ? null : publisher.Trim().ToUpperInvariant();

    private static string? ValidTrust(string? code) => code is not null && OdsCode.IsValid(code) ? code : null;

    private static string? TrustOf(string? source)
    {
        const string Prefix = "/trusts/";
        if (source is null || !source.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return ValidTrust(source[Prefix.Length..]);
    }

    private static DeadLetter Reject(IncomingEvent incoming, string? trust, string? id, string? type, IReadOnlyList<ValidationProblem> problems) =>
        new(trust, incoming.Partition, incoming.SequenceNumber, incoming.EnqueuedTime, id, type, problems, incoming.Message.Body);
}
