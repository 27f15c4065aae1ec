using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.EndToEnd.Tests.Alerts;

/// <summary>One webhook delivery as received: the Standard Webhooks headers and the body.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string Body)
{
    /// <summary>
    /// Checks the signature independently of the product code: HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> with
    /// <paramref name="key"/>, base64, as one of the space-separated <c>v1,</c> entries.
    /// </summary>
    public bool HasValidSignature(byte[] key)
    {
        if (Id is null || Timestamp is null || Signature is null)
        {
            return false;
        }

        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s), Encoding.UTF8.GetBytes(expected)));
    }
}

/// <summary>A real HTTP endpoint on loopback that records every webhook POST and answers 204.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var port = FreePort.Next()[0];
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Where to send webhooks.</summary>
    public Uri Url { get; }

    /// <summary>Everything received so far.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var body = await reader.ReadToEndAsync();
                _received.Enqueue(new ReceivedWebhook(
                    context.Request.Headers["webhook-id"], context.Request.Headers["webhook-timestamp"], context.Request.Headers["webhook-signature"], body));
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
