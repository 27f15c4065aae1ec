using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// Signs webhook bodies as the Standard Webhooks specification (1.0) says: HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>v1,{base64 signature}</c>.
/// </summary>
/// <remarks>
/// Key convention for <c>Webhooks:SigningKey</c>: a value that starts with <c>whsec_</c> is the specification's
/// serialisation, and the HMAC key is the base64-decoded rest (what the reference libraries do with such a secret).
/// Any other value is used as its UTF-8 bytes; a receiver that uses a Standard Webhooks library is then given
/// <see cref="StandardSecret"/> (<c>whsec_</c> + base64 of those bytes), which verifies identically.
/// </remarks>
public sealed class WebhookSigner
{
    private readonly byte[] _key;

    /// <summary>Creates a signer from the <c>Webhooks:SigningKey</c> setting.</summary>
    /// <exception cref="ArgumentException">The key is empty, or starts with <c>whsec_</c> and the rest is not base64.</exception>
    public WebhookSigner(string signingKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        _key = KeyBytes(signingKey);
    }

    /// <summary>The secret in the Standard Webhooks serialisation, to hand to receivers that verify with a library.</summary>
    public string StandardSecret => WebhookOptions.SecretPrefix + Convert.ToBase64String(_key);

    /// <summary>The HMAC key bytes a setting stands for.</summary>
    public static byte[] KeyBytes(string signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.StartsWith(WebhookOptions.SecretPrefix, StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(signingKey[WebhookOptions.SecretPrefix.Length..]);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException("A 'whsec_' signing key must be followed by base64.", nameof(signingKey), ex);
            }
        }

        return Encoding.UTF8.GetBytes(signingKey);
    }

    /// <summary>The <c>webhook-signature</c> header value for one attempt.</summary>
    public string Sign(string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{webhookId}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, content));
    }
}
