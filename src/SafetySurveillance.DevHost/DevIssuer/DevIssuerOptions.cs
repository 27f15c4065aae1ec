namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>DevHost's development token issuer (section <c>DevHost:DevIssuer</c>; command line <c>--DevHost:DevIssuer:Name value</c>).</summary>
public sealed class DevIssuerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "DevHost:DevIssuer";

    /// <summary>Serve the issuer (default true). It only ever answers on loopback.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Trusts whose governance-lead sign-in links DevHost prints. Default: RHQ (the simulator's 7th trust, the one
    /// with the injected excess of serious device-related events) and RTH (its first trust, without one).
    /// </summary>
    public string[] LeadTrusts { get; set; } = ["RHQ", "RTH"];

    /// <summary>Where a sign-in link sends the browser, with the token in the fragment (<c>#token=</c>).</summary>
    public string DashboardPath { get; set; } = "/api/dashboard/";

    /// <summary>How long a development token lasts (default 8 hours, a working day).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
