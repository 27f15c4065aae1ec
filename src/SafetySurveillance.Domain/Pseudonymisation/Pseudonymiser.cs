using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Events;

namespace SafetySurveillance.Domain.Pseudonymisation;

/// <summary>
/// Replaces NHS numbers by keyed pseudonyms: HMAC-SHA256(key, the ten ASCII digits), lower-case hex. Thread-safe
/// and immutable; the key is copied in and never exposed.
/// </summary>
public sealed class Pseudonymiser
{
    private readonly byte[] _key;

    /// <exception cref="ArgumentException">The options are not usable (see <see cref="PseudonymisationOptions.Problems"/>).</exception>
    public Pseudonymiser(PseudonymisationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        PseudonymisationOptions.TryDecodeKey(options.Key, out _key);
        KeyId = options.KeyId;
    }

    /// <summary>The id stored beside every pseudonym this instance makes.</summary>
    public string KeyId { get; }

    public PatientPseudonym Pseudonymise(NhsNumber nhsNumber)
    {
        ArgumentNullException.ThrowIfNull(nhsNumber);
        Span<byte> message = stackalloc byte[10];
        Encoding.ASCII.GetBytes(nhsNumber.Digits, message);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, message, mac);
        return new PatientPseudonym(KeyId, Convert.ToHexStringLower(mac));
    }

    /// <summary>The one step from identifiable to pseudonymised events.</summary>
    public PseudonymisedSafetyEvent Pseudonymise(ValidatedSafetyEvent validated)
    {
        ArgumentNullException.ThrowIfNull(validated);
        return validated switch
        {
            ValidatedProcedurePerformed p => new PseudonymisedProcedurePerformed(p.Envelope, p.Data, Pseudonymise(p.NhsNumber)),
            ValidatedOutcomeReported o => new PseudonymisedOutcomeReported(o.Envelope, o.Data),
            ValidatedAdverseEventReported a => new PseudonymisedAdverseEventReported(a.Envelope, a.Data),
            _ => throw new ArgumentException("Unknown validated event kind.", nameof(validated)),
        };
    }
}
