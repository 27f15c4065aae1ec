using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.Tests.EvaluateSignals;

/// <summary>Writes signal rows the way ingestion does: every contribution to all the keys it touches (month, quarter, all time × national, trust, device).</summary>
internal sealed class SignalRows(SignalTableStore store, string procedure)
{
    private readonly List<(SignalKey, SequencedContribution)> _pairs = [];
    private readonly SignalKey[] _keys = new SignalKey[SignalKey.MaxTouchedKeys];
    private long _sequence;

    public SignalRows Procedures(string trust, DateOnly date, int count, string? device = null)
    {
        for (int i = 0; i < count; i++)
        {
            Add(trust, date, device, new ProcedureContribution(date, ProcedureFacts.FirstForPatient | ProcedureFacts.MdtSelection | ProcedureFacts.WrittenInformation | ProcedureFacts.RegistryEntry));
        }

        return this;
    }

    public SignalRows AdverseEvent(string trust, DateOnly procedureDate, AdverseEventFacts facts, string? device = null) =>
        Add(trust, procedureDate, device, new AdverseEventContribution(facts, ["E0102"]));

    public SignalRows Add(string trust, DateOnly date, string? device, SignalContribution contribution)
    {
        int count = SignalKey.WriteTouched(_keys, procedure, date, trust, device);
        var sequenced = new SequencedContribution(_sequence++, contribution);
        foreach (SignalKey key in _keys.AsSpan(0, count))
        {
            _pairs.Add((key, sequenced));
        }

        return this;
    }

    /// <summary>The keys written so far.</summary>
    public IEnumerable<SignalKey> Keys => _pairs.Select(p => p.Item1);

    /// <summary>Applies everything as one batch from Event Hubs partition <paramref name="partition"/>.</summary>
    public Task WriteAsync(CancellationToken cancellationToken, string partition = "0") => store.ApplyAsync(partition, _pairs, cancellationToken);
}
