namespace SafetySurveillance.Storage.Trusts;

/// <summary>A trust as the directory holds it: its details and which keys are live (fingerprints only, never hashes).</summary>
/// <param name="Details">Name, contacts, webhook.</param>
/// <param name="RegisteredAt">When the trust was registered.</param>
/// <param name="CurrentKey">The key issued last.</param>
/// <param name="PreviousKey">The key issued before it, still accepted until the next rotation; null after the first issue.</param>
public sealed record TrustRecord(TrustDetails Details, DateTimeOffset RegisteredAt, TrustKeyInfo CurrentKey, TrustKeyInfo? PreviousKey);

/// <summary>A live key, described without its secret.</summary>
/// <param name="Fingerprint">First 8 hex digits of the key's SHA-256 (see <see cref="TrustKeyHasher.Fingerprint"/>).</param>
/// <param name="IssuedAt">When it was issued.</param>
public sealed record TrustKeyInfo(string Fingerprint, DateTimeOffset IssuedAt);

/// <summary>A key just issued. <see cref="Key"/> is shown once: only its hash is stored.</summary>
/// <param name="OdsCode">The trust.</param>
/// <param name="Key">The key itself; give it to the trust over a secure channel.</param>
/// <param name="Info">Its fingerprint and issue time.</param>
public sealed record IssuedTrustKey(string OdsCode, string Key, TrustKeyInfo Info)
{
    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"IssuedTrustKey {{ OdsCode = {OdsCode}, Fingerprint = {Info.Fingerprint}, IssuedAt = {Info.IssuedAt:O} }}";
}

/// <summary>The answer of a key check. Callers must not tell an unknown trust from a wrong key to the outside.</summary>
public enum TrustKeyVerdict
{
    /// <summary>Unknown trust, missing or wrong key.</summary>
    Rejected,

    /// <summary>The trust's current key.</summary>
    Current,

    /// <summary>The trust's previous key, still accepted; the trust should move to the current one.</summary>
    Previous,
}

/// <summary>The outcome of <see cref="TrustDirectory.RegisterAsync"/>.</summary>
/// <param name="Registered">True when a new row was written; false when the trust was already registered (nothing changed).</param>
/// <param name="IssuedKey">The key issued with a new registration; null when <paramref name="Registered"/> is false.</param>
public sealed record TrustRegistrationResult(bool Registered, IssuedTrustKey? IssuedKey);
