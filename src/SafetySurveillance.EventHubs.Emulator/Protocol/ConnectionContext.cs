using System.Collections.Concurrent;
using Amqp.Listener;
using SafetySurveillance.EventHubs.Emulator.Security;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>Per-connection broker state: request/response reply links and the claims its tokens granted.</summary>
internal sealed class ConnectionContext
{
    private const string Key = "safetysurveillance.emulator.context";
    private readonly List<Claim> claims = [];

    /// <summary>Reply links by their target address, or by link name when the target has none (JS <c>$cbs</c>).</summary>
    public ConcurrentDictionary<string, ReplyLink> ReplyLinks { get; } = new(StringComparer.Ordinal);

    public static ConnectionContext Of(ListenerConnection connection)
    {
        var properties = connection.Properties;
        lock (properties)
        {
            if (!properties.TryGetValue(Key, out var value))
            {
                properties[Key] = value = new ConnectionContext();
            }

            return (ConnectionContext)value;
        }
    }

    public void AddClaim(Claim claim)
    {
        lock (claims)
        {
            claims.Add(claim);
        }
    }

    public bool Allows(string entityPath, AccessRights needed, DateTimeOffset now)
    {
        lock (claims)
        {
            claims.RemoveAll(c => c.ExpiresAt <= now);
            return claims.Exists(c => c.Allows(entityPath, needed, now));
        }
    }
}
