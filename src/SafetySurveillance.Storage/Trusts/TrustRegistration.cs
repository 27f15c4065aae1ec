using Azure.Data.Tables;

namespace SafetySurveillance.Storage.Trusts;

/// <summary>
/// One-call setup of trusts for DevHost, the simulator and tests: "this trust exists and accepts this key".
/// Idempotent: running it again with the same key changes nothing; with a different key it rotates to it.
/// </summary>
public static class TrustRegistration
{
    /// <summary>
    /// Makes sure <paramref name="details"/> is registered in <paramref name="service"/>'s <see cref="TrustDirectory.TableName"/>
    /// table (created if needed), with its details as given and <paramref name="key"/> as its current key.
    /// </summary>
    /// <returns>The trust as stored afterwards; <paramref name="key"/> is its current key.</returns>
    public static async Task<TrustRecord> EnsureRegisteredAsync(
        TableServiceClient service,
        TrustKeyHasher hasher,
        TrustDetails details,
        string key,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(details);
        var directory = new TrustDirectory(service.GetTableClient(TrustDirectory.TableName), hasher, time ?? TimeProvider.System);
        var registration = await directory.RegisterAsync(details, key, cancellationToken).ConfigureAwait(false);
        if (!registration.Registered)
        {
            await directory.UpdateDetailsAsync(details, cancellationToken).ConfigureAwait(false);
            if (await directory.VerifyKeyAsync(details.OdsCode, key, cancellationToken).ConfigureAwait(false) != TrustKeyVerdict.Current)
            {
                await directory.RotateKeyAsync(details.OdsCode, key, cancellationToken).ConfigureAwait(false);
            }
        }

        return await directory.GetAsync(details.OdsCode, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Trust {details.OdsCode} was registered but cannot be read back.");
    }
}
