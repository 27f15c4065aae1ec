using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Storage.Trusts;

namespace SafetySurveillance.Simulator.Registration;

/// <summary>
/// Puts the simulated trusts into the <c>Trusts</c> table, so alerts have governance contacts to go to: name,
/// one governance address per trust on the reserved <c>.test</c> domain (RFC 2606, never deliverable) and an
/// optional webhook. Idempotent: a trust already registered gets its details replaced and keeps its keys.
/// </summary>
public static class TrustRegistrar
{
    /// <summary>The demo governance lead's address of a trust, e.g. <c>governance.rth@trusts.nhs.test</c>.</summary>
    public static string GovernanceAddress(string odsCode) =>
        $"governance.{odsCode.ToLowerInvariant()}@trusts.nhs.test";

    /// <summary>The details registered for <paramref name="trust"/>.</summary>
    public static TrustDetails DetailsOf(SimulatedTrust trust, Uri? webhook)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return new TrustDetails(trust.OdsCode, trust.Name, [GovernanceAddress(trust.OdsCode)], webhook);
    }

    /// <summary>Registers (or updates) every trust of the run.</summary>
    /// <returns>How many were new.</returns>
    public static async Task<int> RegisterAsync(
        IEnumerable<SimulatedTrust> trusts,
        string storageConnection,
        TrustKeyHasher hasher,
        Uri? webhook,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trusts);
        var directory = new TrustDirectory(new TableClient(storageConnection, TrustDirectory.TableName), hasher, TimeProvider.System);
        var added = 0;
        foreach (var trust in trusts)
        {
            var details = DetailsOf(trust, webhook);
            var result = await directory.RegisterAsync(details, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Registered)
            {
                added++;
            }
            else
            {
                await directory.UpdateDetailsAsync(details, cancellationToken).ConfigureAwait(false);
            }
        }

        return added;
    }

    /// <summary>
    /// The trust-key hasher the function app uses, from a <c>local.settings.json</c>-style file's
    /// <c>Pseudonymisation__Key</c> and <c>Pseudonymisation__KeyId</c>.
    /// </summary>
    /// <exception cref="FormatException">The file lacks the settings.</exception>
    public static TrustKeyHasher HasherFromSettings(string settingsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(settingsPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        string Value(string name) =>
            document.RootElement.TryGetProperty("Values", out var values) && values.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
                ? text
                : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{settingsPath} has no Values.{name}."));
        return TrustKeyHasher.FromPseudonymisationKey(Value("Pseudonymisation__Key"), Value("Pseudonymisation__KeyId"));
    }
}
