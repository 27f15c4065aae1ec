using Amqp;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>A received message kept as the bytes the peer sent; decoded only where the broker needs to.</summary>
internal sealed class RawMessage : Message
{
    public RawMessage(ByteBuffer buffer)
    {
        Bytes = buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();
    }

    public byte[] Bytes { get; }

    public Message Decode() => Message.Decode(new ByteBuffer(Bytes, 0, Bytes.Length, Bytes.Length));
}
