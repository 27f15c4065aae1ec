using System.Security.Cryptography;
using System.Text;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>What a message in the stream is meant to be.</summary>
public enum SimulatedEventKind
{
    /// <summary>A valid event, sent for the first time.</summary>
    Valid,

    /// <summary>A deliberately broken event that ingestion must reject (see <see cref="Malformation"/>).</summary>
    Malformed,

    /// <summary>A byte-identical resend of a valid event sent earlier (same trust, same id): counted once.</summary>
    Duplicate,
}

/// <summary>The ways a malformed event is broken, each with the problem path the reader must report.</summary>
public enum Malformation
{
    BadNhsCheckDigit,
    PainNrsOutOfRange,
    FutureDate,
    OutcomeBeforeProcedure,
    UnknownImdrfCode,
    UnknownType,
    UnsupportedVersion,
    MalformedSource,
    InvalidJson,
    InvalidUtf8,
}

/// <summary>The problem paths each malformation must produce (a <c>ValidationProblem.Path</c>).</summary>
public static class Malformations
{
    public static IReadOnlyList<Malformation> All { get; } = Enum.GetValues<Malformation>();

    public static string ExpectedProblemPath(Malformation malformation) => malformation switch
    {
        Malformation.BadNhsCheckDigit => "data.nhsNumber",
        Malformation.PainNrsOutOfRange => "data.painNrs",
        Malformation.FutureDate => "data.procedureDate",
        Malformation.OutcomeBeforeProcedure => "data.assessmentDate",
        Malformation.UnknownImdrfCode => "data.deviceProblemCodes[0]",
        Malformation.UnknownType => "type",
        Malformation.UnsupportedVersion => "type",
        Malformation.MalformedSource => "source",
        Malformation.InvalidJson => "$",
        Malformation.InvalidUtf8 => "$",
        _ => throw new ArgumentOutOfRangeException(nameof(malformation), malformation, "Unknown malformation."),
    };

    /// <summary>Kebab-case name, as written to ground truth.</summary>
    public static string Name(Malformation malformation) => malformation switch
    {
        Malformation.BadNhsCheckDigit => "bad-nhs-check-digit",
        Malformation.PainNrsOutOfRange => "pain-nrs-out-of-range",
        Malformation.FutureDate => "future-date",
        Malformation.OutcomeBeforeProcedure => "outcome-before-procedure",
        Malformation.UnknownImdrfCode => "unknown-imdrf-code",
        Malformation.UnknownType => "unknown-type",
        Malformation.UnsupportedVersion => "unsupported-version",
        Malformation.MalformedSource => "malformed-source",
        Malformation.InvalidJson => "invalid-json",
        Malformation.InvalidUtf8 => "invalid-utf8",
        _ => throw new ArgumentOutOfRangeException(nameof(malformation), malformation, "Unknown malformation."),
    };
}

/// <summary>
/// One message of the stream: a CloudEvents 1.0 structured JSON body (<c>application/cloudevents+json</c>)
/// that <see cref="TrustOds"/> sends through its own publisher endpoint or gateway path.
/// </summary>
/// <param name="Sequence">Position in the stream, from 0.</param>
/// <param name="TrustOds">The sending trust (its publisher name).</param>
/// <param name="EventId">The CloudEvents id as written (also for most malformed events; null when the body has none readable).</param>
/// <param name="Type">The CloudEvents type as written (for unreadable bodies, the type before corruption).</param>
/// <param name="Kind">Valid, malformed or a duplicate resend.</param>
/// <param name="Body">The exact bytes sent.</param>
/// <param name="ReportedAt">The CloudEvents <c>time</c>: when the trust reported it.</param>
/// <param name="Malformation">How a malformed event is broken.</param>
/// <param name="ExpectedProblemPath">The path of the problem the reader must report for a malformed event.</param>
/// <param name="OriginalSequence">For a duplicate, the sequence of the event it repeats.</param>
public sealed record SimulatedEvent(
    int Sequence,
    string TrustOds,
    string? EventId,
    string Type,
    SimulatedEventKind Kind,
    ReadOnlyMemory<byte> Body,
    DateTimeOffset ReportedAt,
    Malformation? Malformation = null,
    string? ExpectedProblemPath = null,
    int? OriginalSequence = null)
{
    /// <summary>The body is not JSON (or not UTF-8), so it cannot be one element of a JSON array batch.</summary>
    public bool IsUnparsable => Malformation is Generation.Malformation.InvalidJson or Generation.Malformation.InvalidUtf8;
}

/// <summary>A generated stream with its trusts.</summary>
public sealed record SimulationRun(
    SimulationOptions Options,
    DateTimeOffset Now,
    IReadOnlyList<SimulatedTrust> Trusts,
    IReadOnlyList<SimulatedEvent> Events)
{
    public int ValidCount => Events.Count(e => e.Kind == SimulatedEventKind.Valid);

    public int MalformedCount => Events.Count(e => e.Kind == SimulatedEventKind.Malformed);

    public int DuplicateCount => Events.Count(e => e.Kind == SimulatedEventKind.Duplicate);

    /// <summary>SHA-256 over every message's trust and bytes, in order: equal digests mean identical streams.</summary>
    public string Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var e in Events)
        {
            hash.AppendData(Encoding.ASCII.GetBytes(e.TrustOds));
            BitConverter.TryWriteBytes(length, e.Body.Length);
            hash.AppendData(length);
            hash.AppendData(e.Body.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
