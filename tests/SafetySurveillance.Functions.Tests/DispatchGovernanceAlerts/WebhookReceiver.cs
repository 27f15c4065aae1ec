using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SafetySurveillance.Functions.Tests.DispatchGovernanceAlerts;

/// <summary>A webhook as the receiver got it: headers (lower-case names), the exact body bytes and what it answered.</summary>
public sealed record ReceivedWebhook(string Hook, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No '{name}' header.");
}

/// <summary>
/// A real HTTP server on loopback (Kestrel) standing in for trusts' webhook endpoints: <c>POST /hooks/{name}</c> records
/// the request and answers with the next scripted status for that hook (200 when nothing is scripted).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ResponseScript> _scripts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return receiver;
    }

    public Uri UrlFor(string hook) => new(BaseAddress, "hooks/" + hook);

    /// <summary>Answers the next requests to <paramref name="hook"/> with these statuses in turn; the last one repeats.</summary>
    public void Script(string hook, int[] statuses, string? retryAfter = null) => _scripts[hook] = new ResponseScript(statuses, retryAfter);

    public IReadOnlyList<ReceivedWebhook> Received(string hook) => _received.Where(r => r.Hook == hook).ToList();

    private async Task<IResult> HandleAsync(string name, HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var status = StatusCodes.Status200OK;
        string? retryAfter = null;
        if (_scripts.TryGetValue(name, out var script))
        {
            (status, retryAfter) = script.Next();
        }

        _received.Enqueue(new ReceivedWebhook(name, headers, body.ToArray(), status));
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ResponseScript(int[] statuses, string? retryAfter)
    {
        private int _next;

        public (int Status, string? RetryAfter) Next()
        {
            var index = Math.Min(Interlocked.Increment(ref _next) - 1, statuses.Length - 1);
            var status = statuses[index];
            return (status, status is 429 or 503 ? retryAfter : null);
        }

        public override string ToString() => string.Join(",", statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)));
    }
}
