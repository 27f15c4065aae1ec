using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.EventHubs.Emulator.Configuration;

namespace SafetySurveillance.EventHubs.Emulator.Security;

/// <summary>Rights a shared access policy grants.</summary>
[Flags]
internal enum AccessRights
{
    None = 0,
    Send = 1,
    Listen = 2,
    Manage = Send | Listen | 4,
}

/// <summary>What a verified token allows: rights on every entity path under <see cref="ResourcePath"/>, until it expires.</summary>
internal sealed record Claim(string ResourcePath, AccessRights Rights, DateTimeOffset ExpiresAt)
{
    public bool Allows(string entityPath, AccessRights needed, DateTimeOffset now) =>
        now < ExpiresAt && (Rights & needed) == needed && SasAuthorizer.IsUnder(entityPath, ResourcePath);
}

/// <summary>The outcome of checking a token.</summary>
internal readonly record struct TokenCheck(Claim? Claim, string? Error)
{
    public bool IsValid => Claim is not null;
}

/// <summary>
/// Verifies shared access signatures when policies are configured:
/// <c>SharedAccessSignature sr=&lt;url-encoded resource&gt;&amp;sig=&lt;url-encoded base64 HMAC-SHA256&gt;&amp;se=&lt;unix seconds&gt;&amp;skn=&lt;policy&gt;</c>
/// (fields in any order), signed over <c>sr + "\n" + se</c> with the policy key's UTF-8 bytes. The token's
/// resource must cover the audience it is presented for, and must lie inside the policy's scope. Host and
/// scheme are ignored (clients use <c>sb://</c> or <c>amqps://</c>); paths compare case-insensitively.
/// With no policies, any token is accepted with every right, as the official emulator does.
/// </summary>
internal sealed class SasAuthorizer
{
    private readonly Dictionary<string, SharedAccessPolicy> policies;
    private readonly TimeProvider time;

    public SasAuthorizer(IEnumerable<SharedAccessPolicy> policies, TimeProvider time)
    {
        this.policies = policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        this.time = time;
    }

    public bool Enabled => policies.Count > 0;

    public TimeProvider Time => time;

    /// <summary>Checks a token presented for <paramref name="audience"/> (a URI or a path).</summary>
    public TokenCheck Check(string? token, string? audience)
    {
        var now = time.GetUtcNow();
        if (!Enabled)
        {
            return new TokenCheck(new Claim(string.Empty, AccessRights.Manage, DateTimeOffset.MaxValue), null);
        }

        if (string.IsNullOrEmpty(token) || !token.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
        {
            return new TokenCheck(null, "A shared access signature is required.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in token["SharedAccessSignature ".Length..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
            }
        }

        if (!fields.TryGetValue("sr", out var encodedResource) || !fields.TryGetValue("sig", out var signature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var keyName))
        {
            return new TokenCheck(null, "The token must carry sr, sig, se and skn.");
        }

        if (!policies.TryGetValue(Uri.UnescapeDataString(keyName), out var policy))
        {
            return new TokenCheck(null, $"The policy '{Uri.UnescapeDataString(keyName)}' does not exist.");
        }

        if (!long.TryParse(expiry, out var expirySeconds) || DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, 253402300799)) <= now)
        {
            return new TokenCheck(null, "The token has expired.");
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(policy.Key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(Uri.UnescapeDataString(signature));
        }
        catch (FormatException)
        {
            return new TokenCheck(null, "The token signature is not base64.");
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return new TokenCheck(null, "The token signature does not match.");
        }

        var resource = PathOf(Uri.UnescapeDataString(encodedResource));
        if (audience is not null && !IsUnder(PathOf(audience), resource))
        {
            return new TokenCheck(null, $"The token is for '{resource}', not for '{PathOf(audience)}'.");
        }

        var scope = (policy.Scope ?? string.Empty).Trim('/');
        if (!IsUnder(resource, scope))
        {
            return new TokenCheck(null, $"Policy '{policy.Name}' is limited to '{scope}'.");
        }

        return new TokenCheck(new Claim(resource, RightsOf(policy), DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, 253402300799))), null);
    }

    /// <summary>The entity path of a URI or path: host and scheme removed, no leading or trailing slash.</summary>
    public static string PathOf(string audience)
    {
        var path = audience;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? string.Empty : path[(slash + 1)..];
        }

        return path.Trim('/');
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="prefix"/> or below it, segment-wise.</summary>
    public static bool IsUnder(string path, string prefix)
    {
        path = path.Trim('/');
        prefix = prefix.Trim('/');
        if (prefix.Length == 0)
        {
            return true;
        }

        return path.Equals(prefix, StringComparison.OrdinalIgnoreCase)
            || (path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && path[prefix.Length] == '/');
    }

    private static AccessRights RightsOf(SharedAccessPolicy policy)
    {
        var rights = AccessRights.None;
        foreach (var right in policy.Rights ?? ["Manage"])
        {
            rights |= right switch
            {
                "Send" => AccessRights.Send,
                "Listen" => AccessRights.Listen,
                "Manage" => AccessRights.Manage,
                _ => AccessRights.None,
            };
        }

        return rights;
    }
}
