using System.Net;
using System.Net.Sockets;

namespace SafetySurveillance.LocalServices.Processes;

/// <summary>Finds TCP ports on loopback that nothing listens on.</summary>
public static class FreePort
{
    /// <summary>Returns <paramref name="count"/> distinct free loopback ports.</summary>
    /// <remarks>The ports are held open together while they are chosen, so they are distinct; another process can
    /// still take one before the caller binds it, so callers retry start-up on a port clash.</remarks>
    public static int[] Next(int count = 1)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>Whether something accepts TCP connections on loopback port <paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
