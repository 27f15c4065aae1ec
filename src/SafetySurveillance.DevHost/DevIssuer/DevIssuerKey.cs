using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>
/// The development issuer's RSA signing key: generated on first use and kept as PKCS#8 PEM in
/// <c>{data}/dev-issuer/signing-key.pem</c> (owner read/write only), so tokens stay valid across DevHost restarts
/// on the same data folder. The key id is its RFC 7638 JWK thumbprint.
/// </summary>
public sealed class DevIssuerKey : IDisposable
{
    /// <summary>The key file's name in the issuer's folder.</summary>
    public const string FileName = "signing-key.pem";

    private readonly RSA _rsa;

    private DevIssuerKey(RSA rsa)
    {
        _rsa = rsa;
        RSAParameters parameters = rsa.ExportParameters(false);
        Modulus = Base64UrlEncoder.Encode(parameters.Modulus);
        Exponent = Base64UrlEncoder.Encode(parameters.Exponent);
        // RFC 7638: SHA-256 over the required members in lexicographic order, no white space.
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{Exponent}}","kty":"RSA","n":"{{Modulus}}"}""")));
        SigningKey = new RsaSecurityKey(rsa) { KeyId = KeyId };
    }

    /// <summary>The key id (<c>kid</c>).</summary>
    public string KeyId { get; }

    /// <summary>The public modulus, base64url.</summary>
    public string Modulus { get; }

    /// <summary>The public exponent, base64url.</summary>
    public string Exponent { get; }

    /// <summary>The key to sign with.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>Loads the key from <paramref name="directory"/>, or creates and stores a new 2048-bit one.</summary>
    public static DevIssuerKey LoadOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        bool exists = File.Exists(path);
        RSA rsa = exists ? RSA.Create() : RSA.Create(2048);
        try
        {
            if (exists)
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            else
            {
                string temp = path + ".tmp";
                File.WriteAllText(temp, rsa.ExportPkcs8PrivateKeyPem());
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                File.Move(temp, path, overwrite: true);
            }

            return new DevIssuerKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
