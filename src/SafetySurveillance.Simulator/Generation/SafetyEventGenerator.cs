using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>
/// Generates the stream of N trusts: each procedure brings its baseline and due follow-up outcomes and its
/// adverse events; malformed events follow valid ones at the configured rate; resends repeat valid events
/// later in the stream. Messages are ordered by when the trust reported them. Deterministic: the same
/// options and the same <c>now</c> (from the <see cref="TimeProvider"/>) give the same bytes.
/// </summary>
public sealed class SafetyEventGenerator
{
    private readonly TimeProvider timeProvider;

    public SafetyEventGenerator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.timeProvider = timeProvider;
    }

    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public SimulationRun Generate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        // Whole seconds, so the clock's sub-second noise cannot change the bytes.
        var now = timeProvider.GetUtcNow();
        now = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new Builder(options, now).Build();
    }

    private sealed class Builder
    {
        private static readonly OutcomeTimepoint[] FollowUps = [OutcomeTimepoint.Month3, OutcomeTimepoint.Month6, OutcomeTimepoint.Month12, OutcomeTimepoint.Month24];
        private static readonly double[] AgeBandWeights = [0, 4, 10, 25, 30, 20, 10, 1];
        private static readonly double[] SexWeights = [44, 55, 0, 1];

        private readonly SimulationOptions options;
        private readonly DateTimeOffset now;
        private readonly DateOnly today;
        private readonly DateOnly latest;
        private readonly DateOnly historyStart;
        private readonly DeterministicRandom random;
        private readonly NhsNumberSequence nhsNumbers;
        private readonly List<TrustProfile> trusts = [];
        private readonly double[] trustWeights;
        private readonly List<SimulatedEvent> distinct = [];

        public Builder(SimulationOptions options, DateTimeOffset now)
        {
            this.options = options;
            this.now = now;
            today = DateOnly.FromDateTime(now.UtcDateTime);
            latest = today.AddDays(-1);
            historyStart = today.AddMonths(-options.HistoryMonths);
            random = new DeterministicRandom(options.Seed);
            nhsNumbers = new NhsNumberSequence(random);
            var catalogue = TrustCatalogue.Take(options.TrustCount);
            for (var i = 0; i < catalogue.Count; i++)
            {
                trusts.Add(MakeTrust(catalogue[i].Code, catalogue[i].Name, i == options.InjectedTrustIndex));
            }

            trustWeights = [.. trusts.Select(t => t.Trust.Volume)];
        }

        public SimulationRun Build()
        {
            var duplicates = (int)Math.Round(options.EventCount * options.DuplicateFraction);
            var target = options.EventCount - duplicates;
            while (distinct.Count < target)
            {
                var trust = trusts[random.Weighted(trustWeights)];
                var (procedure, cluster) = Cluster(trust);
                foreach (var (draft, type) in cluster)
                {
                    if (distinct.Count >= target)
                    {
                        break;
                    }

                    Add(trust, draft, SimulatedEventKind.Valid, CloudEventWriter.Write(draft, trust.Trust.Source), type);
                    if (distinct.Count < target && random.Chance(options.MalformedFraction))
                    {
                        AddMalformed(trust, procedure);
                    }
                }
            }

            // Order by report time; ties keep generation order. Sequence temporarily holds the position in `ordered`.
            var ordered = distinct.Select((e, i) => (e, i)).OrderBy(x => x.e.ReportedAt).ThenBy(x => x.i)
                .Select((x, position) => x.e with { Sequence = position }).ToList();
            var stream = WithDuplicates(ordered, duplicates);
            var finalPosition = new int[ordered.Count];
            for (var i = 0; i < stream.Count; i++)
            {
                if (stream[i].Kind != SimulatedEventKind.Duplicate)
                {
                    finalPosition[stream[i].Sequence] = i;
                }
            }

            for (var i = 0; i < stream.Count; i++)
            {
                stream[i] = stream[i] with
                {
                    Sequence = i,
                    OriginalSequence = stream[i].OriginalSequence is { } original ? finalPosition[original] : null,
                };
            }

            return new SimulationRun(options, now, [.. trusts.Select(t => t.Trust)], stream);
        }

        private List<SimulatedEvent> WithDuplicates(List<SimulatedEvent> ordered, int count)
        {
            if (count == 0)
            {
                return ordered;
            }

            var validPositions = Enumerable.Range(0, ordered.Count).Where(i => ordered[i].Kind == SimulatedEventKind.Valid).ToArray();
            if (validPositions.Length == 0)
            {
                throw new InvalidOperationException("There are no valid events to resend.");
            }

            // Each resend goes after its original: (insert before position j of `ordered`, draw order).
            var inserts = new List<(int Before, int Draw, SimulatedEvent Event)>(count);
            for (var d = 0; d < count; d++)
            {
                var original = validPositions[random.Next(validPositions.Length)];
                var before = random.Between(original + 1, ordered.Count);
                inserts.Add((before, d, ordered[original] with { Kind = SimulatedEventKind.Duplicate, OriginalSequence = original }));
            }

            inserts.Sort((a, b) => a.Before != b.Before ? a.Before.CompareTo(b.Before) : a.Draw.CompareTo(b.Draw));
            var result = new List<SimulatedEvent>(ordered.Count + count);
            var next = 0;
            for (var i = 0; i <= ordered.Count; i++)
            {
                while (next < inserts.Count && inserts[next].Before == i)
                {
                    result.Add(inserts[next++].Event);
                }

                if (i < ordered.Count)
                {
                    result.Add(ordered[i]);
                }
            }

            return result;
        }

        private TrustProfile MakeTrust(string code, string name, bool injected)
        {
            // Volumes vary about fourfold between trusts; mean 1.
            var volume = 0.4 + (1.2 * random.NextDouble() * random.NextDouble() * 2);
            var deviceCount = Math.Min(DeviceCatalogue.All.Count, 2 + random.Next(2));
            var order = Enumerable.Range(0, DeviceCatalogue.All.Count).Select(i => (i, key: random.NextUInt64())).OrderBy(x => x.key).Select(x => x.i).Take(deviceCount).ToArray();
            var devices = order.Select(i => (DeviceCatalogue.All[i], 0.2 + random.NextDouble())).ToArray();
            return new TrustProfile(
                new SimulatedTrust(code, name, volume, devices, injected),
                Completeness: Clamp(random.Normal(1.0, 0.06), 0.8, 1.15),
                Mdt: Clamp(random.Normal(ClinicalModel.MdtSelection, 0.03), 0.5, 1),
                Information: Clamp(random.Normal(ClinicalModel.WrittenInformation, 0.02), 0.5, 1),
                Registry: Clamp(random.Normal(ClinicalModel.RegistryEntry, 0.06), 0.3, 1));
        }

        private (ProcedureDraft Procedure, List<(EventDraft Draft, string Type)> Events) Cluster(TrustProfile trust)
        {
            var days = latest.DayNumber - 1 - historyStart.DayNumber;
            var procedureDate = historyStart.AddDays(random.Next(Math.Max(1, days)));
            var deviceIndex = random.Weighted([.. trust.Trust.Devices.Select(d => d.Share)]);
            var procedure = new ProcedureDraft(
                random.NextUuid(),
                ReportTime(procedureDate, 0, 3),
                options.ProcedureCode,
                procedureDate,
                trust.Trust.Devices[deviceIndex].Device,
                random.Chance(trust.Mdt),
                random.Chance(trust.Information),
                random.Chance(trust.Registry),
                (AgeBand)random.Weighted(AgeBandWeights),
                (Sex)random.Weighted(SexWeights),
                nhsNumbers.Next());

            var events = new List<(EventDraft, string)> { (procedure, SafetyEventTypes.ProcedurePerformedV1) };
            var patient = new PatientState(
                Nrs: random.Normal(ClinicalModel.BaselineNrsMean, ClinicalModel.BaselineNrsSd),
                Odi: random.Normal(ClinicalModel.BaselineOdiMean, ClinicalModel.BaselineOdiSd),
                Eq5d: random.Normal(ClinicalModel.BaselineEq5dMean, ClinicalModel.BaselineEq5dSd),
                Response: Clamp(random.Normal(1.0, 0.45), -0.3, 1.9));

            if (random.Chance(Math.Min(1, ClinicalModel.Completeness(OutcomeTimepoint.Baseline) * trust.Completeness)))
            {
                // Assessed before the procedure, but sent with or after the procedure record.
                var assessed = procedureDate.AddDays(-random.Between(1, 28));
                var baseline = Outcome(procedure, OutcomeTimepoint.Baseline, assessed, patient);
                events.Add((baseline with { ReportedAt = After(procedure.ReportedAt, procedure.ReportedAt.AddMinutes(random.Next(48 * 60))) }, SafetyEventTypes.OutcomeReportedV1));
            }

            foreach (var timepoint in FollowUps)
            {
                var due = procedureDate.AddMonths(ClinicalModel.MonthsAfter(timepoint));
                if (due > latest)
                {
                    continue; // not due yet: no report, and none expected
                }

                var completed = random.Chance(Math.Min(1, ClinicalModel.Completeness(timepoint) * trust.Completeness));
                var assessed = due.AddDays(random.Between(-14, 28));
                if (assessed > latest)
                {
                    assessed = latest;
                }

                if (completed)
                {
                    events.Add((Outcome(procedure, timepoint, assessed, patient), SafetyEventTypes.OutcomeReportedV1));
                }
            }

            foreach (var kind in ClinicalModel.AdverseEvents)
            {
                var firstYear = trust.Trust.HasInjectedExcess && kind.IsSeriousDeviceRelated
                    ? ClinicalModel.WithOddsRatio(kind.RatePerProcedureFirstYear, options.InjectedOddsRatio)
                    : kind.RatePerProcedureFirstYear;
                int day;
                if (random.Chance(firstYear))
                {
                    var u = random.NextDouble();
                    day = 1 + (int)(u * u * 364); // front-loaded: most events come early
                }
                else if (random.Chance(firstYear * kind.SecondYearFraction))
                {
                    day = 365 + random.Next(365);
                }
                else
                {
                    continue;
                }

                var onset = procedureDate.AddDays(day);
                if (onset > latest)
                {
                    continue; // has not happened yet
                }

                events.Add((AdverseEvent(procedure, kind, onset), SafetyEventTypes.AdverseEventReportedV1));
            }

            return (procedure, events);
        }

        private OutcomeDraft Outcome(ProcedureDraft procedure, OutcomeTimepoint timepoint, DateOnly assessed, PatientState patient)
        {
            var progress = ClinicalModel.Progress(timepoint) * patient.Response;
            var nrs = (int)Math.Round(Clamp(patient.Nrs * (1 - (ClinicalModel.NrsImprovement * progress)) + random.Normal(0, 0.6), 0, 10));
            var odi = (int)Math.Round(Clamp(patient.Odi * (1 - (ClinicalModel.OdiImprovement * progress)) + random.Normal(0, 5), 0, 100));
            var eq5d = Math.Round((decimal)Clamp(patient.Eq5d + (ClinicalModel.Eq5dGain * progress) + random.Normal(0, 0.06), -0.594, 1), 3);

            // PGIC as the domain reads it (SignalProjection: 6–7 = much / very much improved): 1 = very much worse … 4 = no change … 7 = very much improved.
            int? pgic = timepoint == OutcomeTimepoint.Baseline ? null : (int)Math.Round(Clamp(4 + (2.2 * progress) + random.Normal(0, 0.8), 1, 7));

            int? painScore = random.Chance(ClinicalModel.ScorePresence) ? nrs : null;
            int? odiScore = random.Chance(ClinicalModel.ScorePresence) ? odi : null;
            decimal? eq5dScore = random.Chance(ClinicalModel.ScorePresence) ? eq5d : null;
            if (pgic is not null && !random.Chance(ClinicalModel.ScorePresence))
            {
                pgic = null;
            }

            if (painScore is null && odiScore is null && eq5dScore is null && pgic is null)
            {
                painScore = nrs;
            }

            return new OutcomeDraft(random.NextUuid(), After(procedure.ReportedAt, ReportTime(assessed, 0, 7)), procedure.Id, procedure.ProcedureDate, timepoint, assessed, painScore, odiScore, eq5dScore, pgic);
        }

        private AdverseEventDraft AdverseEvent(ProcedureDraft procedure, AdverseEventKind kind, DateOnly onset)
        {
            var action = kind.Actions[random.Next(kind.Actions.Count)];
            var anticipated = !(kind.IsSeriousDeviceRelated && random.Chance(ClinicalModel.UnanticipatedFraction));
            return new AdverseEventDraft(
                random.NextUuid(),
                After(procedure.ReportedAt, ReportTime(onset, 0, 21)),
                procedure.Id,
                procedure.ProcedureDate,
                onset,
                kind.DeviceProblemCodes,
                kind.ClinicalSignCodes,
                kind.HealthImpactCodes,
                kind.Seriousness,
                kind.DeviceRelatedness,
                kind.ProcedureRelatedness,
                action,
                kind.Outcome,
                anticipated);
        }

        private void AddMalformed(TrustProfile trust, ProcedureDraft procedure)
        {
            var malformation = Malformations.All[random.Next(Malformations.All.Count)];
            var id = random.NextUuid();
            var source = trust.Trust.Source;
            var patient = new PatientState(6.5, 40, 0.5, 1);
            var afterProcedure = procedure.ProcedureDate.AddDays(random.Between(80, 100));
            if (afterProcedure > latest)
            {
                afterProcedure = latest;
            }

            EventDraft draft;
            string? typeOverride = null;
            byte[] body;
            switch (malformation)
            {
                case Malformation.BadNhsCheckDigit:
                    draft = procedure with { Id = id, NhsNumber = NhsNumberSequence.WithWrongCheckDigit(procedure.NhsNumber) };
                    break;
                case Malformation.PainNrsOutOfRange:
                    draft = Outcome(procedure, OutcomeTimepoint.Month3, afterProcedure, patient) with { Id = id, PainNrs = 11 };
                    break;
                case Malformation.FutureDate:
                    // Over a year ahead, so the event is still "in the future" when a stream generated with a pinned past
                    // --now is ingested later.
                    draft = procedure with { Id = id, ProcedureDate = today.AddDays(random.Between(400, 800)) };
                    break;
                case Malformation.OutcomeBeforeProcedure:
                    draft = Outcome(procedure, OutcomeTimepoint.Month6, procedure.ProcedureDate.AddDays(-random.Between(1, 30)), patient) with { Id = id };
                    break;
                case Malformation.UnknownImdrfCode:
                    draft = AdverseEvent(procedure, ClinicalModel.AdverseEvents[0], afterProcedure) with { Id = id, DeviceProblemCodes = ["A9999"] };
                    break;
                case Malformation.UnknownType:
                    draft = procedure with { Id = id };
                    typeOverride = SafetyEventTypes.Prefix + "device-recalled.v1";
                    break;
                case Malformation.UnsupportedVersion:
                    draft = Outcome(procedure, OutcomeTimepoint.Month3, afterProcedure, patient) with { Id = id };
                    typeOverride = SafetyEventTypes.Prefix + "outcome-reported.v2";
                    break;
                case Malformation.MalformedSource:
                    draft = procedure with { Id = id };
                    source = source.ToLowerInvariant();
                    break;
                case Malformation.InvalidJson:
                case Malformation.InvalidUtf8:
                    draft = procedure with { Id = id };
                    break;
                default:
                    throw new InvalidOperationException("Unknown malformation.");
            }

            body = CloudEventWriter.Write(draft, source, typeOverride);
            if (malformation == Malformation.InvalidJson)
            {
                body = body[..(body.Length / 2)];
            }
            else if (malformation == Malformation.InvalidUtf8)
            {
                // An overlong encoding of '/' (0xC0 0xAF) inside the id value: never valid UTF-8.
                var at = body.AsSpan().IndexOf("\"id\":\""u8) + 6;
                body = [.. body.AsSpan(0, at), 0xC0, 0xAF, .. body.AsSpan(at)];
            }

            var readableId = malformation is Malformation.InvalidJson or Malformation.InvalidUtf8 ? null : id;
            Add(trust, draft, SimulatedEventKind.Malformed, body, typeOverride ?? CloudEventWriter.TypeOf(draft), malformation, readableId);
        }

        private void Add(TrustProfile trust, EventDraft draft, SimulatedEventKind kind, byte[] body, string type, Malformation? malformation = null, string? id = "")
        {
            distinct.Add(new SimulatedEvent(
                distinct.Count,
                trust.Trust.OdsCode,
                id == string.Empty ? draft.Id : id,
                type,
                kind,
                body,
                draft.ReportedAt,
                malformation,
                malformation is { } m ? Malformations.ExpectedProblemPath(m) : null));
        }

        private DateTimeOffset ReportTime(DateOnly date, int minDelayDays, int maxDelayDays)
        {
            var day = date.AddDays(random.Between(minDelayDays, maxDelayDays));
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero)
                .AddMinutes(random.Next(11 * 60))
                .AddSeconds(random.Next(60));
            var ceiling = now.AddMinutes(-1);
            return at > ceiling ? ceiling : at;
        }

        /// <summary>
        /// Outcomes and adverse events are never reported before their procedure, so a stream read in order
        /// always meets a procedure before anything that refers to it (ties keep generation order).
        /// </summary>
        private DateTimeOffset After(DateTimeOffset procedureReported, DateTimeOffset candidate)
        {
            var ceiling = now.AddMinutes(-1);
            var at = candidate < procedureReported ? procedureReported : candidate;
            return at > ceiling ? ceiling : at;
        }

        private static double Clamp(double value, double min, double max) => Math.Min(max, Math.Max(min, value));
    }

    private sealed record TrustProfile(SimulatedTrust Trust, double Completeness, double Mdt, double Information, double Registry);

    private sealed record PatientState(double Nrs, double Odi, double Eq5d, double Response);
}
