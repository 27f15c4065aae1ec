using System.ComponentModel.DataAnnotations;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Functions.Access;

/// <summary>
/// Optional settings of bearer-token access, in the same <c>Auth</c> section as <see cref="AuthOptions"/>
/// (authority and audience). Every setting here has a default.
/// </summary>
public sealed class AccessOptions
{
    /// <summary>The configuration section (shared with <see cref="AuthOptions"/>).</summary>
    public const string SectionName = AuthOptions.SectionName;

    /// <summary>
    /// The name of the claim that carries a governance lead's trust as an ODS code (<c>Auth__TrustClaim</c>;
    /// default <c>trust</c>). In Entra ID this is the name a directory extension or claims-mapping policy emits,
    /// e.g. <c>extension_{appId}_trustOds</c>; see docs/access.md.
    /// </summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.:/\-]{1,200}$", ErrorMessage = "Auth:TrustClaim must be a claim name (letters, digits and _ . : / -).")]
    public string TrustClaim { get; set; } = AccessClaims.DefaultTrustClaim;
}
