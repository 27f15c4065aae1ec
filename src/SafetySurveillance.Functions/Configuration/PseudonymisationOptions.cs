using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>The keyed-HMAC pseudonymisation key for patient identifiers (section <c>Pseudonymisation</c>).</summary>
public sealed class PseudonymisationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Pseudonymisation";

    /// <summary>The smallest key accepted, in bytes (HMAC-SHA256 block-strength key).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The HMAC key, base64, at least 32 bytes. In Azure: a Key Vault reference.</summary>
    [Required]
    [SecretSetting]
    public string Key { get; set; } = string.Empty;

    /// <summary>A short name for the key, stored beside each pseudonym so the key can be rotated.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,32}$", ErrorMessage = "KeyId must be 1-32 letters, digits or '-'.")]
    public string KeyId { get; set; } = string.Empty;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Key))
        {
            yield break;
        }

        var buffer = new byte[Key.Length];
        if (!Convert.TryFromBase64String(Key, buffer, out var length) || length < MinimumKeyBytes)
        {
            // The message never includes the key itself.
            yield return new ValidationResult(
                $"Pseudonymisation:Key must be base64 of at least {MinimumKeyBytes} bytes.", [nameof(Key)]);
        }
    }
}
