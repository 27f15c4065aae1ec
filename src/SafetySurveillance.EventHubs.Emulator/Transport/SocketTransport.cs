using System.Net.Sockets;
using Amqp;

namespace SafetySurveillance.EventHubs.Emulator.Transport;

/// <summary>
/// A TCP transport for AMQPNetLite's listener that owns the handshake order. Once AMQPNetLite creates the AMQP
/// connection (after SASL) it sends its protocol header and <c>open</c> at once; this transport holds those
/// bytes until the client's own AMQP header has arrived. rhea (the JS SDK's AMQP library) otherwise sometimes
/// receives the SASL outcome and the broker's <c>open</c> in one read, parks the <c>open</c> bytes, and waits
/// for an <c>open</c> it already has (about one JS connection in three hung in the research spike).
/// </summary>
internal sealed class SocketTransport : IAsyncTransport
{
    private const int TcpLevel = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] QuickAckOn = [1, 0, 0, 0];

    private readonly Socket socket;
    private readonly byte[] receiveBuffer = new byte[64 * 1024];
    private readonly TaskCompletionSource clientHeaderSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int receiveOffset;
    private int receiveCount;
    private volatile bool connectionStarted;
    private readonly Timer handshakeTimer;
    private int closed;

    public SocketTransport(Socket socket, TimeSpan handshakeTimeout)
    {
        this.socket = socket;
        socket.NoDelay = true;

        // A client that connects and never completes SASL would hold one of the listener's accept slots.
        handshakeTimer = new Timer(_ =>
        {
            if (!connectionStarted)
            {
                Close();
            }
        }, null, handshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    public void SetConnection(Connection connection)
    {
        connectionStarted = true;
        handshakeTimer.Dispose();
    }

    public async Task SendAsync(IList<ByteBuffer> bufferList, int listSize)
    {
        if (connectionStarted && !clientHeaderSeen.Task.IsCompleted)
        {
            await clientHeaderSeen.Task.ConfigureAwait(false);
        }

        var segments = new ArraySegment<byte>[bufferList.Count];
        for (var i = 0; i < bufferList.Count; i++)
        {
            var buffer = bufferList[i];
            segments[i] = new ArraySegment<byte>(buffer.Buffer, buffer.Offset, buffer.Length);
        }

        var remaining = listSize;
        while (remaining > 0)
        {
            var sent = await socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            remaining -= sent;
            if (remaining > 0)
            {
                segments = Advance(segments, sent);
            }
        }
    }

    public async Task<int> ReceiveAsync(byte[] buffer, int offset, int count)
    {
        if (receiveCount == 0)
        {
            receiveOffset = 0;
            receiveCount = await socket.ReceiveAsync(receiveBuffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
            if (receiveCount == 0)
            {
                return 0;
            }

            AcknowledgeQuickly();
        }

        var n = Math.Min(count, receiveCount);
        Buffer.BlockCopy(receiveBuffer, receiveOffset, buffer, offset, n);
        receiveOffset += n;
        receiveCount -= n;
        if (connectionStarted)
        {
            clientHeaderSeen.TrySetResult();
        }

        return n;
    }

    public void Send(ByteBuffer buffer)
    {
        var offset = buffer.Offset;
        var length = buffer.Length;
        while (length > 0)
        {
            var sent = socket.Send(buffer.Buffer, offset, length, SocketFlags.None);
            offset += sent;
            length -= sent;
        }
    }

    public int Receive(byte[] buffer, int offset, int count) => throw new NotSupportedException("The listener only receives asynchronously.");

    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) == 0)
        {
            clientHeaderSeen.TrySetResult();
            handshakeTimer.Dispose();
            socket.Dispose();
        }
    }

    /// <summary>
    /// Linux delays ACKs by up to 40 ms; a client with Nagle's algorithm on (Node's default, so the JS SDK)
    /// then holds its next small frame until that ACK arrives, and every request/response took ~44 ms.
    /// TCP_QUICKACK is not sticky, so it is set again after each read.
    /// </summary>
    private void AcknowledgeQuickly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(TcpLevel, TcpQuickAck, QuickAckOn);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static ArraySegment<byte>[] Advance(ArraySegment<byte>[] segments, int sent)
    {
        var list = new List<ArraySegment<byte>>(segments.Length);
        foreach (var segment in segments)
        {
            if (sent >= segment.Count)
            {
                sent -= segment.Count;
                continue;
            }

            list.Add(sent > 0 ? segment[sent..] : segment);
            sent = 0;
        }

        return [.. list];
    }
}
