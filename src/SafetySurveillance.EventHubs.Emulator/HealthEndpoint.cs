using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SafetySurveillance.EventHubs.Emulator;

/// <summary>
/// The health API of the official emulator: <c>GET /health</c> answers <c>200</c>
/// <c>{"status":"healthy","message":"Service is healthy."}</c>; anything else is <c>404</c>. A minimal HTTP/1.1
/// responder on a socket, so the emulator needs no web framework.
/// </summary>
internal sealed class HealthEndpoint : IDisposable
{
    private const string HealthyBody = """{"status":"healthy","message":"Service is healthy."}""";

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();

    public HealthEndpoint(IPAddress address, int port)
    {
        listener = new TcpListener(address, port);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
                _ = Task.Run(() => RespondAsync(client));
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private static async Task RespondAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var received = 0;
                while (received < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(received), timeout.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    received += n;
                    if (Encoding.ASCII.GetString(buffer, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                var requestLine = Encoding.ASCII.GetString(buffer, 0, received).Split("\r\n")[0];
                var parts = requestLine.Split(' ');
                var healthy = parts.Length >= 2 && parts[0] == "GET" && (parts[1] == "/health" || parts[1].StartsWith("/health?", StringComparison.Ordinal));
                var body = healthy ? HealthyBody : """{"status":"not found"}""";
                var status = healthy ? "200 OK" : "404 Not Found";
                var response = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }
}
