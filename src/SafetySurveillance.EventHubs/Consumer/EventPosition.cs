using System.Globalization;

namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>Where reading a partition starts: earliest, latest, an offset, a sequence number or an enqueued time.</summary>
public readonly struct EventPosition : IEquatable<EventPosition>
{
    private const string OffsetName = "amqp.annotation.x-opt-offset";
    private const string SequenceNumberName = "amqp.annotation.x-opt-sequence-number";
    private const string EnqueuedTimeName = "amqp.annotation.x-opt-enqueued-time";

    private EventPosition(string? offset, long? sequenceNumber, DateTimeOffset? enqueuedTime, bool isInclusive)
    {
        Offset = offset;
        SequenceNumber = sequenceNumber;
        EnqueuedTime = enqueuedTime;
        IsInclusive = isInclusive;
    }

    /// <summary>The oldest retained event.</summary>
    public static EventPosition Earliest => new("-1", null, null, false);

    /// <summary>Only events enqueued after the receiver attaches.</summary>
    public static EventPosition Latest => new("@latest", null, null, false);

    /// <summary>The offset, when the position is an offset.</summary>
    public string? Offset { get; }

    /// <summary>The sequence number, when the position is a sequence number.</summary>
    public long? SequenceNumber { get; }

    /// <summary>The enqueued time, when the position is a time.</summary>
    public DateTimeOffset? EnqueuedTime { get; }

    /// <summary>Whether the event at the position itself is included.</summary>
    public bool IsInclusive { get; }

    /// <summary>The event at <paramref name="offset"/> (included by default) and those after it.</summary>
    public static EventPosition FromOffset(string offset, bool isInclusive = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(offset);
        return new EventPosition(offset, null, null, isInclusive);
    }

    /// <summary>The event with <paramref name="sequenceNumber"/> (included by default) and those after it.</summary>
    public static EventPosition FromSequenceNumber(long sequenceNumber, bool isInclusive = true)
        => new(null, sequenceNumber, null, isInclusive);

    /// <summary>Events enqueued after <paramref name="enqueuedTime"/> (millisecond precision).</summary>
    public static EventPosition FromEnqueuedTime(DateTimeOffset enqueuedTime)
        => new(null, null, enqueuedTime, false);

    /// <summary>Whether two positions are the same.</summary>
    public static bool operator ==(EventPosition left, EventPosition right) => left.Equals(right);

    /// <summary>Whether two positions differ.</summary>
    public static bool operator !=(EventPosition left, EventPosition right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(EventPosition other)
        => Offset == other.Offset && SequenceNumber == other.SequenceNumber && EnqueuedTime == other.EnqueuedTime && IsInclusive == other.IsInclusive;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EventPosition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Offset, SequenceNumber, EnqueuedTime, IsInclusive);

    /// <summary>The selector filter, in the quoted form the official JS SDK sends (the service accepts quoted and unquoted values).</summary>
    public override string ToString() => ToFilterExpression();

    internal string ToFilterExpression()
    {
        var op = IsInclusive ? ">=" : ">";
        if (Offset is not null)
        {
            return $"{OffsetName} {op} '{Offset}'";
        }

        if (SequenceNumber is { } sequenceNumber)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{SequenceNumberName} {op} '{sequenceNumber}'");
        }

        if (EnqueuedTime is { } time)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{EnqueuedTimeName} > '{time.ToUnixTimeMilliseconds()}'");
        }

        return $"{OffsetName} > '-1'";
    }
}
