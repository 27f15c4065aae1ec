using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>Signing of outgoing alert webhooks (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>The HMAC key that signs webhook bodies, at least 32 characters. In Azure: a Key Vault reference.</summary>
    [Required]
    [MinLength(32)]
    [SecretSetting]
    public string SigningKey { get; set; } = string.Empty;
}
