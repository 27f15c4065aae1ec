using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.LocalServices.Processes;
using Xunit;

namespace SafetySurveillance.DevHost.Tests;

/// <summary>One invocation the test function app received.</summary>
/// <param name="Function">The function name (the path DevHost posted to).</param>
/// <param name="Request">The invocation body.</param>
/// <param name="Body">The body as sent, for checks on the exact JSON.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Failed">Whether the app answered 500.</param>
public sealed record RecordedInvocation(string Function, InvocationRequest Request, string Body, DateTimeOffset ReceivedAt, bool Failed);

/// <summary>
/// A stand-in for the function app on a real Kestrel port: it accepts <c>POST /{FunctionName}</c> as a custom handler
/// does, records every invocation, and answers 500 when <see cref="FailWhen"/> says so (otherwise 200 with an empty
/// invocation response).
/// </summary>
public sealed class TestFunctionApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedInvocation> _invocations = new();

    private TestFunctionApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where invocations go.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Decides per invocation whether to fail (default: never). Set before the trigger starts.</summary>
    public Func<RecordedInvocation, bool> FailWhen { get; set; } = _ => false;

    /// <summary>Every invocation so far, in arrival order.</summary>
    public IReadOnlyList<RecordedInvocation> Invocations => [.. _invocations];

    /// <summary>Starts the app on a free loopback port.</summary>
    public static async Task<TestFunctionApp> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next()[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var result = new TestFunctionApp(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/{function}", (Func<HttpContext, string, Task>)result.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the invocations, failing after <paramref name="timeout"/> (generous by design).</summary>
    public async Task<IReadOnlyList<RecordedInvocation>> WaitForAsync(Func<IReadOnlyList<RecordedInvocation>, bool> condition, TimeSpan timeout, Task? listener = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var snapshot = Invocations;
            if (condition(snapshot))
            {
                return snapshot;
            }

            if (listener is { IsFaulted: true })
            {
                await listener.ConfigureAwait(false);
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}; {snapshot.Count} invocation(s) so far.");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context, string function)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var request = JsonSerializer.Deserialize(body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>())!;
        var probe = new RecordedInvocation(function, request, body, DateTimeOffset.UtcNow, Failed: false);
        var fail = FailWhen(probe);
        _invocations.Enqueue(probe with { Failed = fail });
        if (fail)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("failing on purpose", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"Outputs":{},"Logs":["handled"],"ReturnValue":null}""", context.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
