using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Events.CloudEvents;

namespace SafetySurveillance.Storage.Trusts;

/// <summary>
/// The <c>Trusts</c> table: one row per trust (PartitionKey <c>trust</c>, RowKey = ODS code, validated so it is
/// always a safe table key) with name, governance contacts, webhook URL and the hashes of its gateway keys.
/// Keys are stored only as <see cref="TrustKeyHasher"/> hashes. Rotation keeps one previous key: after a rotation
/// the old key still works, and it stops working when the key is rotated again ("valid until replaced twice"),
/// so a trust can roll its systems over without an outage. Thread-safe.
/// </summary>
public sealed class TrustDirectory
{
    /// <summary>The table name.</summary>
    public const string TableName = "Trusts";

    /// <summary>The one partition all trusts share (a few hundred rows).</summary>
    public const string PartitionKey = "trust";

    private const int MaxConcurrentRetries = 5;
    private static readonly string[] DetailColumns = ["Name", "GovernanceContacts", "WebhookUrl"];
    private readonly TableClient _table;
    private readonly TrustKeyHasher _hasher;
    private readonly TimeProvider _time;
    private readonly string _decoyHash;

    /// <summary>Creates the directory over <paramref name="table"/> (normally named <see cref="TableName"/>).</summary>
    public TrustDirectory(TableClient table, TrustKeyHasher hasher, TimeProvider time)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        // Checked when the trust is unknown, so an unknown trust costs the same work as a wrong key.
        _decoyHash = hasher.Hash("ZZZZZ", TrustKeyHasher.NewKey());
    }

    /// <summary>Creates the table if it does not exist.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Registers a trust and issues its first key (a new random one, or <paramref name="key"/> when given, which must be
    /// well-formed). When the trust is already registered nothing changes and no key is issued.
    /// </summary>
    public async Task<TrustRegistrationResult> RegisterAsync(TrustDetails details, string? key = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        details.ThrowIfInvalid();
        key = CheckKey(key);
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var entity = new TableEntity(PartitionKey, details.OdsCode) { ["RegisteredAt"] = now };
        WriteDetails(entity, details);
        var issued = WriteNewKey(entity, details.OdsCode, key, previous: null, now);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return new TrustRegistrationResult(true, issued);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            return new TrustRegistrationResult(false, null);
        }
    }

    /// <summary>Replaces a registered trust's name, contacts and webhook; keys are untouched. False when the trust is unknown.</summary>
    public async Task<bool> UpdateDetailsAsync(TrustDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        details.ThrowIfInvalid();
        var entity = new TableEntity(PartitionKey, details.OdsCode);
        WriteDetails(entity, details);
        try
        {
            // Merge with ETag * : only the detail columns change, and only if the row exists.
            await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Issues a new key (random, or <paramref name="key"/>). The current key becomes the previous one and stays valid;
    /// the key that was previous until now stops working. Null when the trust is unknown.
    /// Concurrent rotations are serialised with the row's ETag.
    /// </summary>
    public async Task<IssuedTrustKey?> RotateKeyAsync(string odsCode, string? key = null, CancellationToken cancellationToken = default)
    {
        CheckOds(odsCode);
        key = CheckKey(key);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await FindAsync(odsCode, cancellationToken).ConfigureAwait(false);
            if (entity is null)
            {
                return null;
            }

            var previous = (entity.GetString("KeyHash"), entity.GetString("KeyFingerprint"), entity.GetDateTimeOffset("KeyIssuedAt"));
            var issued = WriteNewKey(entity, odsCode, key, previous, _time.GetUtcNow());
            try
            {
                await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return issued;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrentRetries)
            {
                // Someone rotated or edited the row in between: read again and rotate on top of their change.
            }
        }
    }

    /// <summary>The trust's details and live key fingerprints, or null when it is not registered (or the ODS code is malformed).</summary>
    public async Task<TrustRecord?> GetAsync(string odsCode, CancellationToken cancellationToken = default)
    {
        if (odsCode is null || !OdsCode.IsValid(odsCode))
        {
            return null;
        }

        var entity = await FindAsync(odsCode, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRecord(entity);
    }

    /// <summary>Every registered trust, in ODS code order.</summary>
    public async IAsyncEnumerable<TrustRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = _table.QueryAsync<TableEntity>(e => e.PartitionKey == PartitionKey, cancellationToken: cancellationToken);
        await using var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            yield return ToRecord(enumerator.Current);
        }
    }

    /// <summary>
    /// Checks a presented key: <see cref="TrustKeyVerdict.Current"/>, <see cref="TrustKeyVerdict.Previous"/>, or
    /// <see cref="TrustKeyVerdict.Rejected"/> for an unknown trust, a malformed ODS code, a missing or wrong key alike.
    /// One point read; the comparison is constant-time and an unknown trust is checked against a decoy hash.
    /// </summary>
    public async Task<TrustKeyVerdict> VerifyKeyAsync(string odsCode, string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (odsCode is null || !OdsCode.IsValid(odsCode))
        {
            return TrustKeyVerdict.Rejected;
        }

        var entity = await FindAsync(odsCode, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            _ = _hasher.Verify("ZZZZZ", presentedKey, _decoyHash);
            return TrustKeyVerdict.Rejected;
        }

        // Both hashes are always checked, so the time does not say which one matched.
        var current = _hasher.Verify(odsCode, presentedKey, entity.GetString("KeyHash"));
        var previous = _hasher.Verify(odsCode, presentedKey, entity.GetString("PreviousKeyHash"));
        return current ? TrustKeyVerdict.Current : previous ? TrustKeyVerdict.Previous : TrustKeyVerdict.Rejected;
    }

    private async Task<TableEntity?> FindAsync(string odsCode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, odsCode, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // The table itself does not exist yet: no trust is registered.
            return null;
        }
    }

    private IssuedTrustKey WriteNewKey(TableEntity entity, string odsCode, string? key, (string? Hash, string? Fingerprint, DateTimeOffset? IssuedAt)? previous, DateTimeOffset now)
    {
        key ??= TrustKeyHasher.NewKey();
        var info = new TrustKeyInfo(TrustKeyHasher.Fingerprint(key), now);
        entity["KeyHash"] = _hasher.Hash(odsCode, key);
        entity["KeyFingerprint"] = info.Fingerprint;
        entity["KeyIssuedAt"] = now;
        entity["PreviousKeyHash"] = previous?.Hash;
        entity["PreviousKeyFingerprint"] = previous?.Fingerprint;
        entity["PreviousKeyIssuedAt"] = previous?.IssuedAt;
        return new IssuedTrustKey(odsCode, key, info);
    }

    private static void WriteDetails(TableEntity entity, TrustDetails details)
    {
        entity[DetailColumns[0]] = details.Name;
        entity[DetailColumns[1]] = string.Join(';', details.GovernanceContacts ?? []);
        entity[DetailColumns[2]] = details.WebhookUrl?.AbsoluteUri ?? string.Empty;
    }

    private static TrustRecord ToRecord(TableEntity entity)
    {
        var contacts = (entity.GetString("GovernanceContacts") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var webhook = entity.GetString("WebhookUrl") is { Length: > 0 } url ? new Uri(url, UriKind.Absolute) : null;
        var details = new TrustDetails(entity.RowKey, entity.GetString("Name") ?? string.Empty, contacts, webhook);
        var current = new TrustKeyInfo(entity.GetString("KeyFingerprint") ?? string.Empty, entity.GetDateTimeOffset("KeyIssuedAt") ?? default);
        var previous = entity.GetString("PreviousKeyFingerprint") is { Length: > 0 } fingerprint
            ? new TrustKeyInfo(fingerprint, entity.GetDateTimeOffset("PreviousKeyIssuedAt") ?? default)
            : null;
        return new TrustRecord(details, entity.GetDateTimeOffset("RegisteredAt") ?? default, current, previous);
    }

    private static void CheckOds(string odsCode)
    {
        ArgumentNullException.ThrowIfNull(odsCode);
        if (!OdsCode.IsValid(odsCode))
        {
            throw new ArgumentException("Not an ODS code (3-5 upper-case letters or digits).", nameof(odsCode));
        }
    }

    private static string? CheckKey(string? key)
    {
        if (key is not null && !TrustKeyHasher.IsWellFormed(key))
        {
            throw new ArgumentException($"A trust key is '{TrustKeyHasher.KeyPrefix}' and {TrustKeyHasher.KeyBytes} bytes in base64url; use TrustKeyHasher.NewKey or FormatKey.", nameof(key));
        }

        return key;
    }
}
