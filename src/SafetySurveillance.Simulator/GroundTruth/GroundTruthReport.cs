using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.Simulator.GroundTruth;

/// <summary>
/// What ingestion must end up with after the whole stream (any number of resends): the Signals table row by
/// row (<see cref="SignalTruth"/>), counts of distinct valid events by trust, device and nationally, and every
/// message it must reject. Computed by feeding every message through the domain's reader, pseudonymiser,
/// ledger and signal projection, as the ingest function does.
/// </summary>
public sealed record GroundTruthReport
{
    /// <summary>
    /// What the figures are: "signal-projection" — <see cref="Signals"/> holds the expected Signals table, made
    /// by the domain's own ingestion stages; the count sections are plain counts of distinct valid events.
    /// </summary>
    public required string Basis { get; init; }

    public required long Seed { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>SHA-256 of the stream (see <c>SimulationRun.Digest</c>).</summary>
    public required string StreamDigest { get; init; }

    /// <summary>Messages in one pass of the stream, including malformed events and resends.</summary>
    public required int Messages { get; init; }

    public required int DistinctValidEvents { get; init; }

    public required int DuplicateResends { get; init; }

    public required int MalformedEvents { get; init; }

    /// <summary>The trust with the injected excess, if any.</summary>
    public string? InjectedTrust { get; init; }

    public required EventCounts National { get; init; }

    /// <summary>Per trust ODS code, ordinal order.</summary>
    public required SortedDictionary<string, EventCounts> Trusts { get; init; }

    /// <summary>Per device UDI-DI (procedures and the adverse events of those procedures), ordinal order.</summary>
    public required SortedDictionary<string, EventCounts> Devices { get; init; }

    /// <summary>Every message ingestion must dead-letter, in stream order.</summary>
    public required IReadOnlyList<ExpectedRejection> Rejections { get; init; }

    /// <summary>The Signals table ingestion must end with, row by row (PartitionKey, then RowKey, ordinal order).</summary>
    public required IReadOnlyList<ExpectedSignalRow> Signals { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await File.WriteAllTextAsync(path, ToJson() + "\n", cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Counts of distinct valid events in one scope.</summary>
public sealed class EventCounts
{
    public int Procedures { get; set; }

    /// <summary>Distinct patients (pseudonyms) among the procedures.</summary>
    public int Patients { get; set; }

    public int Outcomes { get; set; }

    /// <summary>Outcome reports by timepoint name (baseline, 3-months, …).</summary>
    public SortedDictionary<string, int> OutcomesByTimepoint { get; } = new(StringComparer.Ordinal);

    public int AdverseEvents { get; set; }

    public int SeriousAdverseEvents { get; set; }

    public int SeriousDeviceRelated { get; set; }

    public int SeriousProcedureOrDeviceRelated { get; set; }

    /// <summary>Serious, device-related and not anticipated: the sentinel path.</summary>
    public int UnanticipatedSeriousDeviceRelated { get; set; }

    public int Revisions { get; set; }

    public int Explants { get; set; }

    public int Deaths { get; set; }

    /// <summary>Adverse events by IMDRF code (all three annexes).</summary>
    public SortedDictionary<string, int> AdverseEventsByCode { get; } = new(StringComparer.Ordinal);

    public int MdtSelection { get; set; }

    public int WrittenInformationGiven { get; set; }

    public int RegistryEntryMade { get; set; }
}

/// <summary>A message ingestion must reject.</summary>
/// <param name="Sequence">Its position in the stream.</param>
/// <param name="Trust">The trust that sent it (its publisher).</param>
/// <param name="EventId">Its id, when the reader could read one.</param>
/// <param name="Malformation">How it was broken (kebab-case).</param>
/// <param name="ExpectedProblemPath">The path the reader reports.</param>
/// <param name="Problems">Every problem the domain reader reported, as <c>path: reason</c>.</param>
public sealed record ExpectedRejection(int Sequence, string Trust, string? EventId, string Malformation, string ExpectedProblemPath, IReadOnlyList<string> Problems);
