using System.Globalization;
using System.Text.Json;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>
/// A patient's procedure and the death reported after it, as two CloudEvents a trust would send: what fires the
/// death sentinel rule at once. Used by the end-to-end alert test and the sentinel-to-e-mail latency benchmark.
/// The NHS number is from the test range NHS England never issues (999 000 0000 – 999 999 9999).
/// </summary>
public static class SentinelEvents
{
    /// <summary>The procedure code the events carry (the default rules file's procedure).</summary>
    public const string ProcedureCode = "A48.4";

    /// <summary>The procedure-performed and adverse-event-reported (death) events of patient <paramref name="patient"/>.</summary>
    /// <param name="odsCode">The sending trust.</param>
    /// <param name="patient">0–999,999: picks the synthetic NHS number; distinct values give distinct patients and event ids.</param>
    /// <param name="date">The procedure date, which is also the death's onset date (the cohort month of the sentinel).</param>
    /// <param name="now">The events' <c>time</c>.</param>
    /// <param name="runId">Keeps event ids of separate runs apart (the ingestion ledger counts an id once per trust).</param>
    public static (byte[] Procedure, byte[] Death) For(string odsCode, int patient, DateOnly date, DateTimeOffset now, string runId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patient);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patient, 999_999);
        var nhsNumber = NhsNumber(patient);
        var procedureId = $"sentinel-{runId}-{patient}-procedure";
        var source = Domain.Events.CloudEvents.OdsCode.SourcePrefix + odsCode;
        var time = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var procedure = JsonSerializer.SerializeToUtf8Bytes(new
        {
            specversion = "1.0",
            id = procedureId,
            source,
            type = "uk.nhs.neuromodulation.procedure-performed.v1",
            time,
            datacontenttype = "application/json",
            data = new
            {
                procedureCode = ProcedureCode,
                procedureDate = day,
                device = new { manufacturer = "Mainstay Medical", model = "ReActiv8-B", udiDi = "05012345678900" },
                mdtSelection = true,
                writtenInformationGiven = true,
                registryEntryMade = true,
                ageBand = "50-59",
                sex = "female",
                nhsNumber,
            },
        });
        var death = JsonSerializer.SerializeToUtf8Bytes(new
        {
            specversion = "1.0",
            id = $"sentinel-{runId}-{patient}-death",
            source,
            type = "uk.nhs.neuromodulation.adverse-event-reported.v1",
            time,
            datacontenttype = "application/json",
            data = new
            {
                procedureId,
                procedureDate = day,
                onsetDate = day,
                deviceProblemCodes = new[] { "A010402" },
                clinicalSignCodes = new[] { "E2109" },
                healthImpactCodes = new[] { "F1905" },
                seriousnessCriteria = new[] { "death" },
                deviceRelatedness = "unlikely",
                procedureRelatedness = "possible",
                action = "none",
                outcome = "fatal",
                anticipated = false,
            },
        });
        return (procedure, death);
    }

    private static string NhsNumber(int patient)
    {
        // Walk up from the patient's stem to the first one with a check digit (about 1 in 11 stems has none).
        for (var stem = patient; ; stem = (stem + 1) % 1_000_000)
        {
            var nine = "999" + stem.ToString("D6", CultureInfo.InvariantCulture);
            if (NhsNumberSequence.CheckDigit(nine) is { } check)
            {
                return nine + check.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
