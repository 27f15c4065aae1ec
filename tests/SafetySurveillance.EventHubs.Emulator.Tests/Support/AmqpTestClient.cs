using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>A bare AMQPNetLite client for tests that need to control sends and acknowledgements themselves.</summary>
internal static class AmqpTestClient
{
    public static Task<Connection> ConnectAsync(int port)
    {
        var factory = new ConnectionFactory();
        factory.SASL.Profile = SaslProfile.Anonymous;
        return factory.CreateAsync(new Address($"amqp://127.0.0.1:{port}"));
    }

    public static ReceiverLink Receiver(Session session, string address, string filter = "amqp.annotation.x-opt-offset > -1", long? epoch = null, string name = "receiver", OnAttached? onAttached = null)
    {
        var source = new Source
        {
            Address = address,
            FilterSet = new Map { [new Symbol("apache.org:selector-filter:string")] = new DescribedValue(new Symbol("apache.org:selector-filter:string"), filter) },
        };
        var attach = new Attach { Source = source, Target = new Target { Address = Guid.NewGuid().ToString() } };
        if (epoch is not null)
        {
            attach.Properties = new Fields { [new Symbol("com.microsoft:epoch")] = epoch.Value };
        }

        return new ReceiverLink(session, name + "-" + Guid.NewGuid().ToString("N"), attach, onAttached);
    }

    public static long SequenceNumber(Message message) => (long)message.MessageAnnotations[new Symbol("x-opt-sequence-number")];

    public static string Offset(Message message) => (string)message.MessageAnnotations[new Symbol("x-opt-offset")];

    public static string Body(Message message) => System.Text.Encoding.UTF8.GetString(((Data)message.BodySection).Binary);

    public static Message Event(string body) => new() { BodySection = new Data { Binary = System.Text.Encoding.UTF8.GetBytes(body) } };
}
