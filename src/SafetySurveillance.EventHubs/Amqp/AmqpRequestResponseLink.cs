using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>
/// A sender and a receiver on one session, talking to a request/response node (<c>$cbs</c>, <c>$management</c>).
/// Responses are matched to requests by correlation id, so concurrent requests are safe.
/// </summary>
internal sealed class AmqpRequestResponseLink
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Message>> pending = new(StringComparer.Ordinal);
    private readonly Session session;
    private readonly SenderLink sender;
    private readonly ReceiverLink receiver;
    private readonly string replyTo;

    private AmqpRequestResponseLink(Session session, SenderLink sender, ReceiverLink receiver, string replyTo)
    {
        this.session = session;
        this.sender = sender;
        this.receiver = receiver;
        this.replyTo = replyTo;
    }

    public bool IsClosed => sender.IsClosed || receiver.IsClosed || session.IsClosed;

    public static async Task<AmqpRequestResponseLink> OpenAsync(Connection connection, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var session = new Session(connection);
        var id = Guid.NewGuid().ToString("N");
        var replyTo = $"{node.TrimStart('$')}-{id}";
        var senderAttacher = new AmqpLinkAttacher();
        var sender = new SenderLink(
            session,
            $"{node}-sender-{id}",
            new Attach { Source = new Source { Address = replyTo }, Target = new Target { Address = node }, SndSettleMode = SenderSettleMode.Unsettled, RcvSettleMode = ReceiverSettleMode.First },
            senderAttacher.OnAttached);
        var receiverAttacher = new AmqpLinkAttacher();
        var receiver = new ReceiverLink(
            session,
            $"{node}-receiver-{id}",
            new Attach { Source = new Source { Address = node }, Target = new Target { Address = replyTo }, SndSettleMode = SenderSettleMode.Unsettled, RcvSettleMode = ReceiverSettleMode.First },
            receiverAttacher.OnAttached);
        var link = new AmqpRequestResponseLink(session, sender, receiver, replyTo);
        try
        {
            await senderAttacher.WaitAsync(sender, null, $"attach {node}", timeout, cancellationToken).ConfigureAwait(false);
            await receiverAttacher.WaitAsync(receiver, null, $"attach {node}", timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            session.Close(TimeSpan.Zero);
            throw;
        }

        receiver.AddClosedCallback((_, error) => link.FailAll(error));
        sender.AddClosedCallback((_, error) => link.FailAll(error));
        receiver.Start(100, link.OnResponse);
        return link;
    }

    public async Task<Message> RequestAsync(Message request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var messageId = Guid.NewGuid().ToString();
        request.Properties ??= new Properties();
        request.Properties.MessageId = messageId;
        request.Properties.ReplyTo = replyTo;
        var completion = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[messageId] = completion;
        try
        {
            await sender.SendAsync(request, timeout).WaitAsync(cancellationToken).ConfigureAwait(false);
            return await completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(messageId, out _);
        }
    }

    public Task CloseAsync() => AmqpClose.QuietlyAsync(session);

    private void OnResponse(IReceiverLink link, Message message)
    {
        link.Accept(message);
        var correlationId = message.Properties?.GetCorrelationId()?.ToString();
        if (correlationId is not null && pending.TryRemove(correlationId, out var completion))
        {
            completion.TrySetResult(message);
        }
    }

    private void FailAll(Error? error)
    {
        foreach (var key in pending.Keys)
        {
            if (pending.TryRemove(key, out var completion))
            {
                completion.TrySetException(AmqpErrors.FromError(error, null, "request"));
            }
        }
    }
}
