using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.Tests.Dashboard;

/// <summary>
/// Builds signal rows the way ingestion does: every contribution goes to every key it touches (month, quarter and
/// all-time rows; national, trust and device scopes), then one <see cref="SignalTableStore.ApplyAsync"/>.
/// </summary>
public sealed class SignalScenario(string procedure)
{
    private const string Device = "05012345678900";
    private readonly List<(SignalKey, SequencedContribution)> _pairs = [];
    private readonly SignalKey[] _keys = new SignalKey[SignalKey.MaxTouchedKeys];
    private long _sequence;

    public string Procedure { get; } = procedure;

    /// <summary><paramref name="count"/> first procedures at <paramref name="trust"/> on <paramref name="date"/>, the first <paramref name="withFlags"/> of them (default all) with MDT selection, written information and registry entry.</summary>
    public SignalScenario Procedures(string trust, DateOnly date, int count, int? withFlags = null)
    {
        for (int i = 0; i < count; i++)
        {
            var facts = ProcedureFacts.FirstForPatient;
            if (i < (withFlags ?? count))
            {
                facts |= ProcedureFacts.MdtSelection | ProcedureFacts.WrittenInformation | ProcedureFacts.RegistryEntry;
            }

            Add(trust, date, new ProcedureContribution(date, facts));
        }

        return this;
    }

    /// <summary><paramref name="count"/> patients with a first serious device-related event, in the cohort of <paramref name="date"/>.</summary>
    public SignalScenario SeriousRelated(string trust, DateOnly date, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Add(trust, date, new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.FirstSeriousRelatedForPatient, ["A0101"]));
        }

        return this;
    }

    /// <summary><paramref name="count"/> 12-month outcome reports for the cohort of <paramref name="date"/>.</summary>
    public SignalScenario TwelveMonthReports(string trust, DateOnly date, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Add(trust, date, new OutcomeContribution(date, OutcomeTimepoint.Month12, painNrs: new MeasureObservation(3, -4, true)));
        }

        return this;
    }

    public async Task WriteAsync(SignalTableStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.ApplyAsync("0", _pairs, cancellationToken);
    }

    private void Add(string trust, DateOnly date, SignalContribution contribution)
    {
        int count = SignalKey.WriteTouched(_keys, Procedure, date, trust, Device);
        var sequenced = new SequencedContribution(_sequence++, contribution);
        foreach (SignalKey key in _keys.AsSpan(0, count))
        {
            _pairs.Add((key, sequenced));
        }
    }
}
