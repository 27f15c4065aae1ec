using System.Globalization;
using SafetySurveillance.Domain.Events.CloudEvents;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>One simulated NHS trust.</summary>
/// <param name="OdsCode">Its ODS code, the Event Hubs publisher it sends as and the <c>source</c> of its events.</param>
/// <param name="Name">Its name, for people reading output.</param>
/// <param name="Volume">Relative procedure volume (the mean trust is 1).</param>
/// <param name="Devices">The device models it implants, with their shares.</param>
/// <param name="HasInjectedExcess">True for the trust whose serious device-related events are inflated.</param>
public sealed record SimulatedTrust(
    string OdsCode,
    string Name,
    double Volume,
    IReadOnlyList<(SimulatedDevice Device, double Share)> Devices,
    bool HasInjectedExcess)
{
    /// <summary>The CloudEvents <c>source</c> of its events.</summary>
    public string Source => Domain.Events.CloudEvents.OdsCode.SourcePrefix + OdsCode;
}

/// <summary>
/// Real NHS acute trust ODS codes (3 characters, starting with R), in a fixed order so "the 7th trust" means
/// the same trust in every run. Beyond the list, synthetic codes <c>RZ0</c>, <c>RZ1</c>, … are used.
/// </summary>
public static class TrustCatalogue
{
    private static readonly (string Code, string Name)[] Known =
    [
        ("RTH", "Oxford University Hospitals"),
        ("RRK", "University Hospitals Birmingham"),
        ("R0A", "Manchester University"),
        ("RJ1", "Guy's and St Thomas'"),
        ("RGT", "Cambridge University Hospitals"),
        ("RTD", "The Newcastle upon Tyne Hospitals"),
        ("RHQ", "Sheffield Teaching Hospitals"),
        ("RR8", "Leeds Teaching Hospitals"),
        ("RX1", "Nottingham University Hospitals"),
        ("RJE", "University Hospitals of North Midlands"),
        ("RHM", "University Hospital Southampton"),
        ("RA7", "University Hospitals Bristol and Weston"),
        ("RWE", "University Hospitals of Leicester"),
        ("RYJ", "Imperial College Healthcare"),
        ("RRV", "University College London Hospitals"),
        ("REM", "Liverpool University Hospitals"),
        ("RJZ", "King's College Hospital"),
        ("RK9", "University Hospitals Plymouth"),
        ("RWA", "Hull University Teaching Hospitals"),
        ("RM1", "Norfolk and Norwich University Hospitals"),
        ("RAL", "Royal Free London"),
        ("RKB", "University Hospitals Coventry and Warwickshire"),
        ("RTR", "South Tees Hospitals"),
        ("RL4", "The Royal Wolverhampton"),
        ("RXN", "Lancashire Teaching Hospitals"),
        ("RVJ", "North Bristol"),
        ("R1H", "Barts Health"),
        ("RH8", "Royal Devon University Healthcare"),
        ("RCB", "York and Scarborough Teaching Hospitals"),
        ("RXW", "Shrewsbury and Telford Hospital"),
    ];

    /// <summary>Most trusts a run can have (the known codes, then 36 synthetic ones).</summary>
    public static int MaxTrusts => Known.Length + 36;

    /// <summary>The first <paramref name="count"/> trust codes and names, in catalogue order.</summary>
    public static IReadOnlyList<(string Code, string Name)> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxTrusts);
        var result = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            if (i < Known.Length)
            {
                result.Add(Known[i]);
            }
            else
            {
                var n = i - Known.Length;
                var suffix = n < 10 ? n.ToString(CultureInfo.InvariantCulture) : ((char)('A' + n - 10)).ToString();
                result.Add(("RZ" + suffix, "Synthetic trust RZ" + suffix));
            }
        }

        foreach (var (code, _) in result)
        {
            if (!OdsCode.IsValid(code))
            {
                throw new InvalidOperationException($"'{code}' is not a valid ODS code.");
            }
        }

        return result;
    }
}
