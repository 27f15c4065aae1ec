using Amqp;
using Amqp.Listener;
using Amqp.Types;

namespace SafetySurveillance.EventHubs.Emulator.Protocol;

/// <summary>
/// The link a requester receives <c>$cbs</c> / <c>$management</c> responses on. Responses are sent only while
/// the requester has granted credit; earlier ones wait here (a client may send its request before it grants
/// credit on the reply link, and a delivery without credit is a protocol error).
/// </summary>
internal sealed class ReplyLink
{
    private readonly ListenerLink link;
    private readonly Queue<Message> pending = new();
    private readonly Lock gate = new();
    private int credit;

    public ReplyLink(ListenerLink link)
    {
        this.link = link;
        link.InitializeSender(OnCredit, (_, _, _, _) => { }, null);
    }

    public void Send(Message response)
    {
        lock (gate)
        {
            if (credit <= 0 || pending.Count > 0)
            {
                pending.Enqueue(response);
                return;
            }

            credit--;
        }

        Deliver(response);
    }

    private void OnCredit(int delta, Fields? properties, object? state)
    {
        var ready = new List<Message>();
        lock (gate)
        {
            credit = delta > 0 ? credit + delta : 0;
            while (credit > 0 && pending.Count > 0)
            {
                ready.Add(pending.Dequeue());
                credit--;
            }
        }

        foreach (var response in ready)
        {
            Deliver(response);
        }
    }

    private void Deliver(Message response)
    {
        try
        {
            link.SendMessage(response);
        }
        catch (AmqpException)
        {
            // The reply link closed; the requester will time out.
        }
    }
}
