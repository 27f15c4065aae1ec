using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.GroundTruth;

/// <summary>
/// Feeds a generated stream through the domain the way ingestion does (read → de-duplicate on trust + id →
/// pseudonymise → aggregate) and returns the expected result. Throws when a message does not read as the
/// generator meant it to (a valid event rejected, or a malformed one accepted or rejected for another
/// reason), so a ground-truth file is never written for a stream that contradicts itself.
/// </summary>
public static class GroundTruthBuilder
{
    public static GroundTruthReport Build(SimulationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);

        // The key only decides pseudonym values, which the report does not contain; distinct counts do not depend on it.
        var pseudonymiser = new Pseudonymiser(new PseudonymisationOptions
        {
            KeyId = "ground-truth",
            Key = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes("simulator ground truth"))),
        });

        // Read as of one second after generation: every date and time was made to be in the past then.
        var readAt = run.Now.AddSeconds(1);
        var seen = new HashSet<(string Trust, string Id)>();
        var national = new Accumulator();
        var trusts = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        var devices = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        var procedureDevice = new Dictionary<(string Trust, string ProcedureId), string>();
        var rejections = new List<ExpectedRejection>();
        foreach (var trust in run.Trusts)
        {
            trusts[trust.OdsCode] = new Accumulator();
        }

        foreach (var message in run.Events)
        {
            var result = SafetyEventReader.Read(message.Body, readAt);
            if (message.Kind == SimulatedEventKind.Malformed)
            {
                if (result.IsValid || !result.Problems.Any(p => p.Path == message.ExpectedProblemPath))
                {
                    throw new InvalidOperationException(
                        $"Message {message.Sequence} ({message.Malformation}) should be rejected at '{message.ExpectedProblemPath}' but read as: "
                        + (result.IsValid ? "valid" : string.Join("; ", result.Problems)));
                }

                rejections.Add(new ExpectedRejection(
                    message.Sequence,
                    message.TrustOds,
                    result.Id,
                    Malformations.Name(message.Malformation!.Value),
                    message.ExpectedProblemPath!,
                    [.. result.Problems.Select(p => p.ToString())]));
                continue;
            }

            if (!result.IsValid)
            {
                throw new InvalidOperationException($"Message {message.Sequence} should be valid but was rejected: {string.Join("; ", result.Problems)}");
            }

            var envelope = result.Event.Envelope;
            if (envelope.OdsCode != message.TrustOds)
            {
                throw new InvalidOperationException($"Message {message.Sequence} has source {envelope.Source} but is sent by {message.TrustOds}.");
            }

            if (!seen.Add((message.TrustOds, envelope.Id)))
            {
                continue; // a resend: ingestion counts it once
            }

            var pseudonymised = pseudonymiser.Pseudonymise(result.Event);
            national.Add(pseudonymised);
            trusts[message.TrustOds].Add(pseudonymised);

            // Adverse events count for their procedure's device; the generator always sends the procedure first.
            var udi = pseudonymised switch
            {
                PseudonymisedProcedurePerformed p => procedureDevice[(message.TrustOds, envelope.Id)] = p.Data.Device.UdiDi,
                PseudonymisedAdverseEventReported a => procedureDevice.GetValueOrDefault((message.TrustOds, a.Data.ProcedureId)),
                _ => null,
            };
            if (udi is not null)
            {
                if (!devices.TryGetValue(udi, out var device))
                {
                    devices[udi] = device = new Accumulator();
                }

                device.Add(pseudonymised);
            }
        }

        var (signals, screenedOut) = SignalTruth.Build(run, pseudonymiser);
        if (screenedOut != rejections.Count)
        {
            throw new InvalidOperationException($"Ingestion screening rejected {screenedOut} messages; the stream has {rejections.Count} malformed.");
        }

        return new GroundTruthReport
        {
            Basis = "signal-projection",
            Seed = run.Options.Seed,
            Now = run.Now,
            StreamDigest = run.Digest(),
            Messages = run.Events.Count,
            DistinctValidEvents = seen.Count,
            DuplicateResends = run.DuplicateCount,
            MalformedEvents = run.MalformedCount,
            InjectedTrust = run.Trusts.FirstOrDefault(t => t.HasInjectedExcess)?.OdsCode,
            National = national.Counts(),
            Trusts = new SortedDictionary<string, EventCounts>(trusts.ToDictionary(t => t.Key, t => t.Value.Counts()), StringComparer.Ordinal),
            Devices = new SortedDictionary<string, EventCounts>(devices.ToDictionary(d => d.Key, d => d.Value.Counts()), StringComparer.Ordinal),
            Rejections = rejections,
            Signals = signals,
        };
    }

    private sealed class Accumulator
    {
        private readonly EventCounts counts = new();
        private readonly HashSet<string> patients = new(StringComparer.Ordinal);

        public void Add(PseudonymisedSafetyEvent e)
        {
            switch (e)
            {
                case PseudonymisedProcedurePerformed p:
                    counts.Procedures++;
                    patients.Add(p.Patient.Value);
                    counts.MdtSelection += p.Data.MdtSelection ? 1 : 0;
                    counts.WrittenInformationGiven += p.Data.WrittenInformationGiven ? 1 : 0;
                    counts.RegistryEntryMade += p.Data.RegistryEntryMade ? 1 : 0;
                    break;
                case PseudonymisedOutcomeReported o:
                    counts.Outcomes++;
                    Increment(counts.OutcomesByTimepoint, OutcomeReportedJson.Timepoints.NameOf(o.Data.Timepoint));
                    break;
                case PseudonymisedAdverseEventReported a:
                    var data = a.Data;
                    counts.AdverseEvents++;
                    counts.SeriousAdverseEvents += data.IsSerious ? 1 : 0;
                    counts.SeriousDeviceRelated += data.IsSerious && data.IsDeviceRelated ? 1 : 0;
                    counts.SeriousProcedureOrDeviceRelated += data.IsSerious && (data.IsDeviceRelated || data.IsProcedureRelated) ? 1 : 0;
                    counts.UnanticipatedSeriousDeviceRelated += data.IsSerious && data.IsDeviceRelated && !data.Anticipated ? 1 : 0;
                    counts.Revisions += data.Action == AdverseEventAction.Revision ? 1 : 0;
                    counts.Explants += data.Action == AdverseEventAction.Explant ? 1 : 0;
                    counts.Deaths += data.SeriousnessCriteria.Contains(SeriousnessCriterion.Death) ? 1 : 0;
                    foreach (var code in data.DeviceProblemCodes.Concat(data.ClinicalSignCodes).Concat(data.HealthImpactCodes))
                    {
                        Increment(counts.AdverseEventsByCode, code);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(e));
            }
        }

        public EventCounts Counts()
        {
            counts.Patients = patients.Count;
            return counts;
        }

        private static void Increment(SortedDictionary<string, int> map, string key) =>
            map[key] = map.TryGetValue(key, out var n) ? n + 1 : 1;
    }
}
