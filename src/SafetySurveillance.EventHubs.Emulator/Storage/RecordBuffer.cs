using System.Buffers;

namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>A growable byte buffer the writer fills with records and then writes in one call.</summary>
internal sealed class RecordBuffer : IBufferWriter<byte>
{
    private byte[] buffer;

    public RecordBuffer(int initialCapacity) => buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public Span<byte> Written => buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, Length);

    public void Clear()
    {
        Length = 0;
        if (buffer.Length > 16 * 1024 * 1024)
        {
            buffer = new byte[1024 * 1024];
        }
    }

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(Length);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Length + Math.Max(sizeHint, 1);
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }
    }
}
