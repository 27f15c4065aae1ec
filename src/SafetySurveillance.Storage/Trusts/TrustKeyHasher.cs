using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SafetySurveillance.Storage.Trusts;

/// <summary>
/// Issues and checks the keys trusts present to the HTTPS gateway. A key is <c>sstk1_</c> followed by 32 random
/// bytes in base64url (43 characters), so it carries 256 bits of entropy. Only a hash is stored:
/// HMAC-SHA256 under a server secret over the ODS code, a random 16-byte salt and the key, written as
/// <c>v1.{secretId}.{salt}.{mac}</c>. Because keys are random and the secret is not in the table, a stolen
/// table row cannot be turned back into a key or brute-forced offline, so no slow hash (PBKDF2) is needed and a
/// check costs microseconds. Binding the ODS code into the MAC means a hash copied to another trust's row is useless.
/// Comparison is constant-time. Thread-safe.
/// </summary>
public sealed class TrustKeyHasher
{
    /// <summary>The prefix of every key (lets secret scanners recognise leaked keys).</summary>
    public const string KeyPrefix = "sstk1_";

    /// <summary>Random bytes in a key.</summary>
    public const int KeyBytes = 32;

    /// <summary>The smallest server secret accepted, in bytes.</summary>
    public const int MinimumSecretBytes = 32;

    private const string HashVersion = "v1";
    private const int SaltBytes = 16;
    private static readonly byte[] DerivationInfo = Encoding.ASCII.GetBytes("safety-surveillance/trust-key-hash/v1");
    private static readonly int KeyLength = KeyPrefix.Length + Base64Url.GetEncodedLength(KeyBytes);
    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private readonly byte[] _secret;

    /// <summary>Creates a hasher from a server secret of at least <see cref="MinimumSecretBytes"/> bytes.</summary>
    /// <param name="secret">The HMAC key. Never stored in the table.</param>
    /// <param name="secretId">A short name for the secret, stored in each hash so a changed secret is recognised (letters, digits, '-', '_').</param>
    public TrustKeyHasher(ReadOnlySpan<byte> secret, string secretId)
    {
        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"The secret must have at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        if (secretId.Length > 64 || !secretId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException("The secret id must be 1-64 letters, digits, '-' or '_'.", nameof(secretId));
        }

        _secret = secret.ToArray();
        SecretId = secretId;
    }

    /// <summary>The name of the server secret, stored in each hash.</summary>
    public string SecretId { get; }

    /// <summary>
    /// A hasher whose secret is derived from the pseudonymisation key with HKDF-SHA256
    /// (info <c>safety-surveillance/trust-key-hash/v1</c>): no second secret to provision, and the derived key
    /// reveals nothing about the pseudonymisation key. The key id becomes the secret id.
    /// </summary>
    public static TrustKeyHasher FromPseudonymisationKey(string base64Key, string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(base64Key);
        byte[] master;
        try
        {
            master = Convert.FromBase64String(base64Key);
        }
        catch (FormatException exception)
        {
            throw new ArgumentException("The pseudonymisation key is not base64.", nameof(base64Key), exception);
        }

        if (master.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"The pseudonymisation key must have at least {MinimumSecretBytes} bytes.", nameof(base64Key));
        }

        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: DerivationInfo);
        CryptographicOperations.ZeroMemory(master);
        return new TrustKeyHasher(derived, keyId.Replace('.', '-'));
    }

    /// <summary>A new random key.</summary>
    public static string NewKey() => FormatKey(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>Formats <see cref="KeyBytes"/> bytes as a key (for deterministic keys in local runs and tests).</summary>
    public static string FormatKey(ReadOnlySpan<byte> keyBytes)
    {
        if (keyBytes.Length != KeyBytes)
        {
            throw new ArgumentException($"A key is exactly {KeyBytes} bytes.", nameof(keyBytes));
        }

        return KeyPrefix + Base64Url.EncodeToString(keyBytes);
    }

    /// <summary>Whether <paramref name="key"/> has the form of a key (prefix, length, base64url alphabet).</summary>
    public static bool IsWellFormed(string? key) =>
        key is not null
        && key.Length == KeyLength
        && key.StartsWith(KeyPrefix, StringComparison.Ordinal)
        && !key.AsSpan(KeyPrefix.Length).ContainsAnyExcept(Base64UrlAlphabet);

    /// <summary>A short, non-secret name for a key (the first 8 hex digits of its SHA-256), for logs and the table.</summary>
    public static string Fingerprint(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
    }

    /// <summary>Hashes a well-formed key for the trust <paramref name="odsCode"/> with a fresh salt.</summary>
    public string Hash(string odsCode, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(odsCode);
        if (!IsWellFormed(key))
        {
            throw new ArgumentException("Not a well-formed trust key.", nameof(key));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var mac = Mac(odsCode, salt, key);
        return string.Join('.', HashVersion, SecretId, Base64Url.EncodeToString(salt), Base64Url.EncodeToString(mac));
    }

    /// <summary>
    /// Whether <paramref name="presentedKey"/> is the key behind <paramref name="storedHash"/> for this trust.
    /// False for a null or malformed hash, a hash made under another secret, or a malformed key. The MAC
    /// comparison is constant-time.
    /// </summary>
    public bool Verify(string odsCode, string? presentedKey, string? storedHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(odsCode);
        if (storedHash is null || presentedKey is null)
        {
            return false;
        }

        var parts = storedHash.Split('.');
        if (parts.Length != 4 || parts[0] != HashVersion || !string.Equals(parts[1], SecretId, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Base64Url.DecodeFromChars(parts[2]);
            expected = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        // A malformed key is still MACed, so the time taken does not say whether the form was right.
        var actual = Mac(odsCode, salt, presentedKey);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && IsWellFormed(presentedKey);
    }

    /// <summary>Whether <paramref name="storedHash"/> was made under this hasher's secret.</summary>
    public bool IsOwnHash(string? storedHash) =>
        storedHash is not null && storedHash.StartsWith($"{HashVersion}.{SecretId}.", StringComparison.Ordinal);

    private byte[] Mac(string odsCode, byte[] salt, string key)
    {
        var ods = Encoding.UTF8.GetBytes(odsCode);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var message = new byte[ods.Length + 1 + salt.Length + keyBytes.Length];
        ods.CopyTo(message, 0);
        message[ods.Length] = 0;
        salt.CopyTo(message, ods.Length + 1);
        keyBytes.CopyTo(message, ods.Length + 1 + salt.Length);
        var mac = HMACSHA256.HashData(_secret, message);
        CryptographicOperations.ZeroMemory(keyBytes);
        CryptographicOperations.ZeroMemory(message);
        return mac;
    }

}
