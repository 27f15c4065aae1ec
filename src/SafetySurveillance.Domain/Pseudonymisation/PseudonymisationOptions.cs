using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Domain.Pseudonymisation;

/// <summary>
/// Configuration for <see cref="Pseudonymiser"/>, bound from the <c>Pseudonymisation</c> section (in Azure the
/// key comes from Key Vault). Validated by data annotations plus <see cref="Validate(ValidationContext)"/>,
/// so a host using <c>ValidateDataAnnotations().ValidateOnStart()</c> refuses to start with an empty,
/// malformed or short key.
/// </summary>
public sealed class PseudonymisationOptions : IValidatableObject
{
    public const string SectionName = "Pseudonymisation";

    /// <summary>At least 256 bits of key, the HMAC-SHA256 output size (RFC 2104 §3 recommends no less than L).</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Key ids are stored beside pseudonyms, including in storage keys, so they are kept plain.</summary>
    public const string KeyIdPattern = "^[A-Za-z0-9._-]{1,64}$";

    /// <summary>Identifies the key, e.g. <c>2026-01</c>; stored beside each pseudonym.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(KeyIdPattern)]
    public string KeyId { get; set; } = string.Empty;

    /// <summary>The HMAC key, base64-encoded, at least <see cref="MinKeyBytes"/> bytes once decoded. Never log it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Key { get; set; } = string.Empty;

    /// <summary>Every problem with these options, in plain English; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(KeyId))
        {
            problems.Add($"{SectionName}:KeyId is required.");
        }
        else if (!System.Text.RegularExpressions.Regex.IsMatch(KeyId, KeyIdPattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{SectionName}:KeyId must be 1–64 letters, digits, '.', '_' or '-'.");
        }

        if (string.IsNullOrEmpty(Key))
        {
            problems.Add($"{SectionName}:Key is required (base64, at least {MinKeyBytes} bytes).");
        }
        else if (!TryDecodeKey(Key, out var bytes))
        {
            problems.Add($"{SectionName}:Key is not valid base64.");
        }
        else if (bytes.Length < MinKeyBytes)
        {
            problems.Add($"{SectionName}:Key decodes to {bytes.Length} bytes; at least {MinKeyBytes} are required.");
        }

        return problems;
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p, [p.Contains(":Key ", StringComparison.Ordinal) ? nameof(Key) : nameof(KeyId)]));

    internal static bool TryDecodeKey(string key, out byte[] bytes)
    {
        bytes = new byte[(key.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(key, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
