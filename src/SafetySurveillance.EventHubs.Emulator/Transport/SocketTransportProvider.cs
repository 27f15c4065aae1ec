using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Amqp;

namespace SafetySurveillance.EventHubs.Emulator.Transport;

/// <summary>
/// Accepts TCP connections on a socket the emulator owns (so port 0 works and the chosen port is known) and
/// hands them to AMQPNetLite's listeners as <see cref="SocketTransport"/>s. Several listeners pull from this one
/// provider so that one slow SASL handshake does not hold up the others.
/// </summary>
internal sealed class SocketTransportProvider : TransportProvider
{
    public const string Scheme = "emutcp";

    private readonly Socket listenSocket;
    private readonly Channel<Socket> accepted = Channel.CreateBounded<Socket>(64);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;
    private int disposed;

    public SocketTransportProvider(IPAddress address, int port)
    {
        AddressSchemes = [Scheme];
        listenSocket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.Equals(IPAddress.IPv6Any))
        {
            listenSocket.DualMode = true;
        }

        listenSocket.Bind(new IPEndPoint(address, port));
        listenSocket.Listen(256);
        Port = ((IPEndPoint)listenSocket.LocalEndPoint!).Port;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public override async Task<IAsyncTransport> CreateAsync(Address address)
    {
        try
        {
            var socket = await accepted.Reader.ReadAsync(stopping.Token).ConfigureAwait(false);
            return new SocketTransport(socket, TimeSpan.FromSeconds(30));
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            // AMQPNetLite's custom-transport accept loop never learns that it was closed and retries after
            // any exception, so a stopped provider must not answer at all: park the loop for good.
            return await new TaskCompletionSource<IAsyncTransport>().Task.ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        stopping.Cancel();
        listenSocket.Dispose();
        accepted.Writer.TryComplete();
        while (accepted.Reader.TryRead(out var socket))
        {
            socket.Dispose();
        }

        // The accept loop ends on its own once the socket is closed and the token cancelled.
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listenSocket.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            try
            {
                await accepted.Writer.WriteAsync(socket, stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
            {
                socket.Dispose();
                return;
            }
        }
    }
}
