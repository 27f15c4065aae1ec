using Xunit;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amqp;
using Amqp.Framing;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>Shared access signatures and the CBS put-token exchange, done by hand for tests.</summary>
internal static class Sas
{
    public static string Token(string audience, string keyName, string key, DateTimeOffset expiresAt)
    {
        var resource = Uri.EscapeDataString(audience);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(resource + "\n" + expiry)));
        return $"SharedAccessSignature sr={resource}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }

    /// <summary>Sends one put-token on <c>$cbs</c> and returns the response's status code.</summary>
    public static async Task<int> PutTokenAsync(Session session, string audience, string token)
    {
        var replyTo = "cbs-" + Guid.NewGuid().ToString("N");
        var sender = new SenderLink(session, Guid.NewGuid().ToString(), "$cbs");
        var receiver = new ReceiverLink(session, replyTo, new Attach { Source = new Source { Address = "$cbs" }, Target = new Target() }, null);
        try
        {
            var request = new Message(token)
            {
                Properties = new Properties { MessageId = Guid.NewGuid().ToString(), ReplyTo = replyTo, To = "$cbs" },
                ApplicationProperties = new ApplicationProperties
                {
                    ["operation"] = "put-token",
                    ["type"] = "servicebus.windows.net:sastoken",
                    ["name"] = audience,
                },
            };
            await sender.SendAsync(request);
            var response = await receiver.ReceiveAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no put-token response");
            receiver.Accept(response);
            Assert.Equal(request.Properties.MessageId, response.Properties.CorrelationId);
            return (int)response.ApplicationProperties["status-code"];
        }
        finally
        {
            await sender.CloseAsync();
            await receiver.CloseAsync();
        }
    }
}
