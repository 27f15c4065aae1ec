using System.Net;
using Microsoft.AspNetCore.Http;

namespace SafetySurveillance.DevHost.DevIssuer;

/// <summary>
/// Keeps the development issuer local: it refuses to serve at all when DevHost listens on anything but loopback,
/// and refuses any connection that is not loopback at both ends.
/// </summary>
public sealed class DevIssuerGuard
{
    /// <summary>Why the issuer refuses to run; null while it serves.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Checks the addresses the server listens on (e.g. <c>http://127.0.0.1:7071</c>); any non-loopback one stops the issuer.</summary>
    public void CheckBinding(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (string address in addresses)
        {
            if (!IsLoopbackAddress(address))
            {
                Refusal = $"The development issuer refuses to run: DevHost listens on {address}, which is not loopback.";
                return;
            }
        }
    }

    /// <summary>Whether a listening address is loopback only (<c>localhost</c>, <c>127.x.x.x</c>, <c>[::1]</c>).</summary>
    public static bool IsLoopbackAddress(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        // Kestrel reports wildcards as http://+:port, http://*:port, http://0.0.0.0:port or http://[::]:port.
        string host = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        host = host.Split('/')[0];
        int colon = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (colon > 0)
        {
            host = host[..colon];
        }

        host = host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Whether a connection is loopback at both ends.</summary>
    public static bool IsLoopbackConnection(ConnectionInfo connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local);
    }
}
