namespace SafetySurveillance.Functions.Access;

/// <summary>
/// The claims and role values this app reads from a person's bearer token. Role values are Entra ID app roles
/// (the <c>roles</c> claim of an access token); the trust claim's name is configurable (<see cref="AccessOptions.TrustClaim"/>).
/// </summary>
public static class AccessClaims
{
    /// <summary>The claim holding the app roles assigned to the person (a string or an array of strings).</summary>
    public const string Roles = "roles";

    /// <summary>App role value of a national safety reviewer.</summary>
    public const string ReviewerRole = "reviewer";

    /// <summary>App role value of a trust clinical-governance lead.</summary>
    public const string GovernanceLeadRole = "governance-lead";

    /// <summary>The default name of the claim holding a governance lead's trust (ODS code).</summary>
    public const string DefaultTrustClaim = "trust";

    /// <summary>The subject claim: stable per person (per application, in Entra ID).</summary>
    public const string Subject = "sub";

    /// <summary>The person's display name.</summary>
    public const string Name = "name";

    /// <summary>The sign-in name, used for display when there is no <see cref="Name"/>.</summary>
    public const string PreferredUsername = "preferred_username";
}
