namespace SafetySurveillance.TestInfrastructure;

/// <summary>Names that do not collide between tests sharing one Azurite (tables need 3–63 alphanumerics).</summary>
public static class UniqueName
{
    /// <summary>A table name: the prefix followed by random hex, alphanumeric only.</summary>
    public static string Table(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A container or queue name: lower-case prefix, a hyphen and random hex.</summary>
    public static string Container(string prefix) => prefix.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..12];
}
