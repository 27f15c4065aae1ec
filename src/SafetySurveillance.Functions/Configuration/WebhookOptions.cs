using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>Signing of outgoing alert webhooks (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>The Standard Webhooks prefix of a base64-serialised secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>
    /// The HMAC key that signs webhook bodies, at least 32 characters. Either <c>whsec_</c> + base64 of at least 24
    /// random bytes (the Standard Webhooks serialisation; the key is the decoded bytes) or any other text (the key
    /// is its UTF-8 bytes). See docs/alert-delivery.md. In Azure: a Key Vault reference.
    /// </summary>
    [Required]
    [MinLength(32)]
    [SecretSetting]
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>
    /// Optional webhook that receives every alert, national and trust-scoped alike (for example the national
    /// safety team's incident system). Absolute https URL (http only for loopback); empty for none.
    /// </summary>
    public string? NationalUrl { get; set; }

    /// <summary><see cref="NationalUrl"/> as a URI, or null when it is not set.</summary>
    public Uri? NationalUri => string.IsNullOrWhiteSpace(NationalUrl) ? null : new Uri(NationalUrl.Trim(), UriKind.Absolute);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey.StartsWith(SecretPrefix, StringComparison.Ordinal) && !IsBase64OfAtLeast(SigningKey[SecretPrefix.Length..], 24))
        {
            yield return new ValidationResult(
                "Webhooks:SigningKey starts with 'whsec_' but the rest is not base64 of at least 24 bytes.", [nameof(SigningKey)]);
        }

        if (!string.IsNullOrWhiteSpace(NationalUrl)
            && (!Uri.TryCreate(NationalUrl.Trim(), UriKind.Absolute, out var url)
                || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            yield return new ValidationResult(
                "Webhooks:NationalUrl must be an absolute https URL (http only for loopback), or empty.", [nameof(NationalUrl)]);
        }
    }

    private static bool IsBase64OfAtLeast(string text, int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= bytes;
    }
}
