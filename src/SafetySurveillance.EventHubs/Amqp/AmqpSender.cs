using Amqp;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>An attached sender link with the max-message-size the broker granted on attach.</summary>
internal sealed class AmqpSender(Session session, SenderLink link, long maximumMessageSize)
{
    public SenderLink Link { get; } = link;

    public long MaximumMessageSize { get; } = maximumMessageSize;

    public bool IsClosed => Link.IsClosed || session.IsClosed;

    public Task CloseAsync() => AmqpClose.QuietlyAsync(session);
}
