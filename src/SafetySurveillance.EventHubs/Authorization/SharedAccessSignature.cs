using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SafetySurveillance.EventHubs;

/// <summary>
/// Builds and reads Event Hubs shared access signatures:
/// <c>SharedAccessSignature sr=&lt;url-encoded resource&gt;&amp;sig=&lt;url-encoded base64 HMAC-SHA256&gt;&amp;se=&lt;unix seconds&gt;&amp;skn=&lt;key name&gt;</c>,
/// signed over <c>sr + "\n" + se</c> with the key's UTF-8 bytes.
/// </summary>
public static class SharedAccessSignature
{
    private const string Prefix = "SharedAccessSignature ";

    /// <summary>Creates a signature for <paramref name="resource"/> that expires at <paramref name="expiresOn"/>.</summary>
    public static string Create(string resource, string keyName, string key, DateTimeOffset expiresOn)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(key);

        var encodedResource = Uri.EscapeDataString(resource);
        var expiry = expiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}sr={encodedResource}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={expiry}&skn={Uri.EscapeDataString(keyName)}");
    }

    /// <summary>Reads the expiry (<c>se</c>) of a signature; <see langword="null"/> when it has none or is malformed.</summary>
    public static DateTimeOffset? GetExpiry(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var fields = ReadFields(signature);
        return fields.TryGetValue("se", out var se) && long.TryParse(se, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    /// <summary>Reads the fields of a signature (<c>sr</c>, <c>sig</c>, <c>se</c>, <c>skn</c>), URL-decoded, in any order.</summary>
    public static IReadOnlyDictionary<string, string> ReadFields(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var text = signature.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? signature[Prefix.Length..] : signature;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[pair[..equals]] = Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return fields;
    }
}
