using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>Who receives national alerts (section <c>Governance</c>).</summary>
public sealed class GovernanceOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Governance";

    /// <summary>National safety reviewers' e-mail addresses, separated by <c>;</c> (one app setting, not an array).</summary>
    [Required]
    public string NationalReviewers { get; set; } = string.Empty;

    /// <summary>The addresses of <see cref="NationalReviewers"/>, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> NationalReviewerAddresses =>
        NationalReviewers.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var email = new EmailAddressAttribute();
        if (NationalReviewerAddresses.Count == 0)
        {
            yield return new ValidationResult("Governance:NationalReviewers needs at least one address.", [nameof(NationalReviewers)]);
        }

        foreach (var address in NationalReviewerAddresses.Where(a => !email.IsValid(a)))
        {
            yield return new ValidationResult($"Governance:NationalReviewers holds an invalid address '{address}'.", [nameof(NationalReviewers)]);
        }
    }
}
