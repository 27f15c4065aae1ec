using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace SafetySurveillance.EventHubs.Tests.Peers;

/// <summary>
/// A minimal AMQP peer on loopback for unit tests of the client's wire behaviour: it records every <c>$cbs</c>
/// put-token and every message sent to other addresses, answers put-tokens with a configurable status, and
/// grants sender links a configurable max-message-size. It is not an Event Hubs broker (the emulator is).
/// </summary>
internal sealed class RecordingBroker : IAsyncDisposable
{
    private readonly ContainerHost host;

    private RecordingBroker(int port, long maximumMessageSize)
    {
        Port = port;
        MaximumMessageSize = maximumMessageSize;
        host = new ContainerHost(new Address($"amqp://127.0.0.1:{port}"));
        host.Listeners[0].SASL.EnableAnonymousMechanism = true;
        host.Listeners[0].AMQP.MaxSessionsPerConnection = 1000;
        host.RegisterLinkProcessor(new Processor(this));
        host.Open();
    }

    public int Port { get; }

    public long MaximumMessageSize { get; }

    public int PutTokenStatus { get; set; } = 202;

    public ConcurrentQueue<PutToken> PutTokens { get; } = new();

    public ConcurrentQueue<(string Address, Message Message)> Received { get; } = new();

    public ConcurrentQueue<Attach> Attaches { get; } = new();

    public string ConnectionString(string hub = "eh1") =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=secret-key;EntityPath={hub};UseDevelopmentEmulator=true";

    public static RecordingBroker Start(long maximumMessageSize = 1024 * 1024)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new RecordingBroker(port, maximumMessageSize);
    }

    public ValueTask DisposeAsync()
    {
        host.Close();
        return ValueTask.CompletedTask;
    }

    internal sealed record PutToken(string Name, string Type, string Token);

    private sealed class Processor(RecordingBroker broker) : ILinkProcessor
    {
        private readonly ConcurrentDictionary<string, ListenerLink> replyLinks = new();

        public void Process(AttachContext attachContext)
        {
            var attach = attachContext.Attach;
            var link = attachContext.Link;
            broker.Attaches.Enqueue(attach);
            var address = attach.Role ? ((Source)attach.Source).Address : ((Target)attach.Target).Address;
            if (address == "$cbs")
            {
                if (attach.Role)
                {
                    replyLinks[((Target)attach.Target)?.Address ?? attach.LinkName] = link;
                    link.InitializeSender((_, _, _) => { }, (_, _, _, _) => { }, null);
                }
                else
                {
                    link.InitializeReceiver(100, (receiver, message, _, _) =>
                    {
                        receiver.DisposeMessage(message, new Accepted(), true);
                        broker.PutTokens.Enqueue(new PutToken(
                            (string)message.ApplicationProperties["name"],
                            (string)message.ApplicationProperties["type"],
                            (string)message.Body));
                        var response = new Message
                        {
                            Properties = new Properties { CorrelationId = message.Properties.MessageId },
                            ApplicationProperties = new ApplicationProperties(),
                        };
                        response.ApplicationProperties["status-code"] = broker.PutTokenStatus;
                        response.ApplicationProperties["status-description"] = broker.PutTokenStatus == 202 ? "Accepted" : "Unauthorized";
                        if (replyLinks.TryGetValue(message.Properties.ReplyTo, out var reply))
                        {
                            reply.SendMessage(response);
                        }
                    }, null);
                }

                link.CompleteAttach(attach, null);
                return;
            }

            if (!attach.Role)
            {
                attach.MaxMessageSize = (ulong)broker.MaximumMessageSize;
                link.InitializeReceiver(100, (receiver, message, _, _) =>
                {
                    broker.Received.Enqueue((address, message));
                    receiver.DisposeMessage(message, new Accepted(), true);
                }, null);
                link.CompleteAttach(attach, null);
                return;
            }

            attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity '{address}' could not be found." });
        }
    }
}
