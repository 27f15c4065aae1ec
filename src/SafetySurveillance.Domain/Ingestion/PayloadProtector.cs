using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Pseudonymisation;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// Encrypts rejected payloads for keeping (AES-256-GCM), so nothing is lost yet no readable NHS number is stored.
/// The key is derived from the pseudonymisation key with HKDF-SHA256 (info <c>safety-surveillance/dead-letter-payload/v1</c>),
/// so no second secret is needed and the two keys are independent. Format: version (1) · key-id length (1) · key id ·
/// nonce (12) · tag (16) · ciphertext.
/// </summary>
public sealed class PayloadProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("safety-surveillance/dead-letter-payload/v1");
    private readonly byte[] _key;
    private readonly byte[] _keyId;

    /// <summary>Creates a protector from the pseudonymisation options.</summary>
    public PayloadProtector(PseudonymisationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        PseudonymisationOptions.TryDecodeKey(options.Key, out var master);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: Info);
        _keyId = Encoding.ASCII.GetBytes(options.KeyId);
    }

    /// <summary>Encrypts <paramref name="payload"/>.</summary>
    public byte[] Protect(ReadOnlySpan<byte> payload)
    {
        var header = 2 + _keyId.Length;
        var output = new byte[header + NonceSize + TagSize + payload.Length];
        output[0] = Version;
        output[1] = (byte)_keyId.Length;
        _keyId.CopyTo(output, 2);
        var nonce = output.AsSpan(header, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, payload, output.AsSpan(header + NonceSize + TagSize), output.AsSpan(header + NonceSize, TagSize), output.AsSpan(0, header));
        return output;
    }

    /// <summary>Decrypts what <see cref="Protect"/> made.</summary>
    /// <exception cref="CryptographicException">Wrong key, or the data were altered.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> protectedPayload)
    {
        if (protectedPayload.Length < 2 || protectedPayload[0] != Version)
        {
            throw new CryptographicException("Not a protected payload of a known version.");
        }

        var header = 2 + protectedPayload[1];
        if (protectedPayload.Length < header + NonceSize + TagSize)
        {
            throw new CryptographicException("The protected payload is truncated.");
        }

        if (!protectedPayload[2..header].SequenceEqual(_keyId))
        {
            throw new CryptographicException("The payload was protected under another key id.");
        }

        var plain = new byte[protectedPayload.Length - header - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedPayload.Slice(header, NonceSize), protectedPayload[(header + NonceSize + TagSize)..], protectedPayload.Slice(header + NonceSize, TagSize), plain, protectedPayload[..header]);
        return plain;
    }
}
