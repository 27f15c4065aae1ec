using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.Domain.Events.Outcomes;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>What ingestion remembers about one procedure of a trust (no identifiers beyond the pseudonym).</summary>
/// <param name="ProcedureCode">The OPCS-4 code.</param>
/// <param name="ProcedureDate">The procedure date (places events in their cohort period).</param>
/// <param name="UdiDi">The device's UDI-DI.</param>
/// <param name="Patient">The patient's pseudonym value.</param>
public sealed record ProcedureState(string ProcedureCode, DateOnly ProcedureDate, string UdiDi, string Patient);

/// <summary>Baseline scores of one procedure, in stored units (EQ-5D in thousandths).</summary>
public sealed record BaselineScores(long? PainNrs, long? Odi, long? Eq5dIndex);

/// <summary>
/// One trust's registry state, kept by ingestion to derive facts no single event carries: the event ledger
/// (de-duplication), each procedure's code, date, device and patient pseudonym (so outcome and adverse-event
/// reports can be placed and linked), baseline scores (change from baseline, responders), which follow-up
/// reports were received (at most one per procedure and timepoint), and which patients already had a
/// procedure of a code or a serious related adverse event (first-for-patient counts).
/// Changes are recorded as <see cref="TrustStateRecord"/>s and stored with the ledger, append-only.
/// </summary>
public sealed class TrustRegistryState
{
    private readonly Dictionary<EventFingerprint, ProcedureState> _procedures = [];
    private readonly Dictionary<EventFingerprint, BaselineScores> _baselines = [];
    private readonly HashSet<(EventFingerprint Procedure, OutcomeTimepoint Timepoint)> _reports = [];
    private readonly HashSet<(string Patient, string Code)> _patientProcedures = [];
    private readonly HashSet<string> _seriousRelatedPatients = new(StringComparer.Ordinal);
    private readonly List<TrustStateRecord> _pending = [];

    // Ingestion asks about the same procedure id several times per event (procedure, baseline, report): its
    // fingerprint (a SHA-256) is computed once and kept for the next call with the same string.
    private string? _lastProcedureId;
    private EventFingerprint _lastProcedureFingerprint;

    /// <summary>The event ledger.</summary>
    public EventLedgerIndex Events { get; } = new();

    /// <summary>Records made since the last <see cref="TakePending"/>, to be stored.</summary>
    public IReadOnlyList<TrustStateRecord> Pending => _pending;

    /// <summary>A procedure by its CloudEvent id, if known.</summary>
    public ProcedureState? Procedure(string procedureId) =>
        _procedures.TryGetValue(FingerprintOf(procedureId), out var p) ? p : null;

    /// <summary>Baseline scores of a procedure, if reported.</summary>
    public BaselineScores? Baseline(string procedureId) =>
        _baselines.TryGetValue(FingerprintOf(procedureId), out var b) ? b : null;

    /// <summary>Records a procedure; returns whether it is the patient's first of this code.</summary>
    public bool AddProcedure(string procedureId, ProcedureState procedure)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        var id = FingerprintOf(procedureId);
        var record = new TrustStateRecord { Kind = TrustStateRecord.ProcedureKind, Procedure = Hex(id), Code = procedure.ProcedureCode, Date = procedure.ProcedureDate, Udi = procedure.UdiDi, Patient = procedure.Patient };
        var first = Apply(record, id);
        _pending.Add(record);
        return first;
    }

    /// <summary>Records a follow-up report; returns false when this procedure already had one at this timepoint.</summary>
    public bool AddReport(string procedureId, OutcomeTimepoint timepoint)
    {
        var id = FingerprintOf(procedureId);
        if (_reports.Contains((id, timepoint)))
        {
            return false;
        }

        var record = new TrustStateRecord { Kind = TrustStateRecord.ReportKind, Procedure = Hex(id), Timepoint = (int)timepoint };
        if (!Apply(record, id))
        {
            return false;
        }

        _pending.Add(record);
        return true;
    }

    /// <summary>Records baseline scores of a procedure.</summary>
    public void SetBaseline(string procedureId, BaselineScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var id = FingerprintOf(procedureId);
        var record = new TrustStateRecord { Kind = TrustStateRecord.BaselineKind, Procedure = Hex(id), PainNrs = scores.PainNrs, Odi = scores.Odi, Eq5d = scores.Eq5dIndex };
        Apply(record, id);
        _pending.Add(record);
    }

    /// <summary>Records a serious related adverse event for a patient; returns whether it is the patient's first.</summary>
    public bool AddSeriousRelated(string patient)
    {
        var record = new TrustStateRecord { Kind = TrustStateRecord.SeriousKind, Patient = patient };
        if (!Apply(record))
        {
            return false;
        }

        _pending.Add(record);
        return true;
    }

    /// <summary>Loads stored records.</summary>
    public void Load(IEnumerable<TrustStateRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Apply(record);
        }
    }

    /// <summary>Returns and clears the pending records.</summary>
    public IReadOnlyList<TrustStateRecord> TakePending()
    {
        var taken = _pending.ToList();
        _pending.Clear();
        return taken;
    }

    /// <summary>Applies a record; <paramref name="procedure"/> is its procedure's fingerprint when the caller has it (else read from the record's hex).</summary>
    private bool Apply(TrustStateRecord record, EventFingerprint? procedure = null)
    {
        switch (record.Kind)
        {
            case TrustStateRecord.ProcedureKind:
                var id = procedure ?? FromHex(record.Procedure!);
                _procedures.TryAdd(id, new ProcedureState(record.Code!, record.Date!.Value, record.Udi!, record.Patient!));
                return _patientProcedures.Add((record.Patient!, record.Code!));
            case TrustStateRecord.ReportKind:
                return _reports.Add((procedure ?? FromHex(record.Procedure!), (OutcomeTimepoint)record.Timepoint!.Value));
            case TrustStateRecord.BaselineKind:
                _baselines[procedure ?? FromHex(record.Procedure!)] = new BaselineScores(record.PainNrs, record.Odi, record.Eq5d);
                return true;
            case TrustStateRecord.SeriousKind:
                return _seriousRelatedPatients.Add(record.Patient!);
            default:
                throw new FormatException($"Unknown trust state record kind '{record.Kind}'.");
        }
    }

    private static string Hex(EventFingerprint fingerprint)
    {
        Span<byte> bytes = stackalloc byte[EventFingerprint.Size];
        fingerprint.Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private EventFingerprint FingerprintOf(string procedureId)
    {
        if (!ReferenceEquals(procedureId, _lastProcedureId))
        {
            _lastProcedureFingerprint = EventFingerprint.Of(procedureId);
            _lastProcedureId = procedureId;
        }

        return _lastProcedureFingerprint;
    }

    private static EventFingerprint FromHex(string hex)
    {
        Span<byte> bytes = stackalloc byte[EventFingerprint.Size];
        if (hex.Length != EventFingerprint.Size * 2
            || Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != EventFingerprint.Size)
        {
            throw new FormatException($"'{hex}' is not a {EventFingerprint.Size}-byte fingerprint in hex.");
        }

        return EventFingerprint.Read(bytes);
    }
}

/// <summary>One stored change to a trust's registry state (compact JSON).</summary>
public sealed record TrustStateRecord
{
    internal const string ProcedureKind = "p";
    internal const string ReportKind = "r";
    internal const string BaselineKind = "b";
    internal const string SeriousKind = "s";

    /// <summary>The kind: p (procedure), r (report received), b (baseline), s (serious related event for a patient).</summary>
    [JsonPropertyName("k")]
    public required string Kind { get; init; }

    /// <summary>Fingerprint (hex) of the procedure's CloudEvent id.</summary>
    [JsonPropertyName("id")]
    public string? Procedure { get; init; }

    /// <summary>Procedure code.</summary>
    [JsonPropertyName("c")]
    public string? Code { get; init; }

    /// <summary>Procedure date.</summary>
    [JsonPropertyName("d")]
    public DateOnly? Date { get; init; }

    /// <summary>Device UDI-DI.</summary>
    [JsonPropertyName("u")]
    public string? Udi { get; init; }

    /// <summary>Patient pseudonym.</summary>
    [JsonPropertyName("pt")]
    public string? Patient { get; init; }

    /// <summary>Timepoint of a report.</summary>
    [JsonPropertyName("t")]
    public int? Timepoint { get; init; }

    /// <summary>Baseline pain NRS.</summary>
    [JsonPropertyName("n")]
    public long? PainNrs { get; init; }

    /// <summary>Baseline ODI.</summary>
    [JsonPropertyName("o")]
    public long? Odi { get; init; }

    /// <summary>Baseline EQ-5D index in thousandths.</summary>
    [JsonPropertyName("e")]
    public long? Eq5d { get; init; }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Packs records into UTF-8 JSON blocks of at most <paramref name="maxBytes"/> bytes each (one JSON array per block).</summary>
    public static IReadOnlyList<byte[]> Encode(IReadOnlyList<TrustStateRecord> records, int maxBytes = 60 * 1024)
    {
        ArgumentNullException.ThrowIfNull(records);
        var blocks = new List<byte[]>();
        var current = new List<byte[]>();
        var size = 2;
        foreach (var record in records)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
            if (current.Count > 0 && size + bytes.Length + 1 > maxBytes)
            {
                blocks.Add(Join(current));
                current.Clear();
                size = 2;
            }

            current.Add(bytes);
            size += bytes.Length + 1;
        }

        if (current.Count > 0)
        {
            blocks.Add(Join(current));
        }

        return blocks;
    }

    /// <summary>Reads one block.</summary>
    public static IReadOnlyList<TrustStateRecord> Decode(byte[] block) =>
        JsonSerializer.Deserialize<List<TrustStateRecord>>(block, Json) ?? [];

    private static byte[] Join(List<byte[]> items)
    {
        using var stream = new MemoryStream();
        stream.WriteByte((byte)'[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                stream.WriteByte((byte)',');
            }

            stream.Write(items[i]);
        }

        stream.WriteByte((byte)']');
        return stream.ToArray();
    }
}
