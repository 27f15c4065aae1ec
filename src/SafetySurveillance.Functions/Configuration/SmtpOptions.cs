using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>The mail relay for governance alerts (section <c>Smtp</c>).</summary>
public sealed class SmtpOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Smtp";

    /// <summary>Relay host name.</summary>
    [Required]
    public string Host { get; set; } = string.Empty;

    /// <summary>Relay port; 587 (STARTTLS) by default.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>User name for the relay; empty for a relay without authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for the relay. In Azure: a Key Vault reference.</summary>
    [SecretSetting]
    public string? Password { get; set; }

    /// <summary>The sender address of alert mail.</summary>
    [Required]
    [EmailAddress]
    public string From { get; set; } = string.Empty;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Smtp:Password is required when Smtp:UserName is set.", [nameof(Password)]);
        }
    }
}
