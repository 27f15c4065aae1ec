using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using SafetySurveillance.DevHost.DevIssuer;
using SafetySurveillance.LocalServices.Processes;
using Xunit;

namespace SafetySurveillance.DevHost.Tests.DevIssuer;

/// <summary>The development issuer's endpoints served on a free loopback port, as DevHost serves them, with its key in a throw-away data folder.</summary>
public sealed class DevIssuerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevIssuerServer(WebApplication app, DevTokenIssuer issuer, string baseUrl, string dataDirectory)
    {
        _app = app;
        Issuer = issuer;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    /// <summary>The issuer.</summary>
    public DevTokenIssuer Issuer { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The data folder holding <c>dev-issuer/signing-key.pem</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => new Uri(BaseUrl).Port;

    /// <summary>Starts the issuer with its key in <paramref name="dataDirectory"/> (a new folder when null), on <paramref name="port"/> (a free one when null).</summary>
    public static async Task<DevIssuerServer> StartAsync(string? dataDirectory = null, int? port = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "devissuer-" + Guid.NewGuid().ToString("N"));
        port ??= FreePort.Next()[0];
        string baseUrl = $"http://127.0.0.1:{port}";
        var issuer = new DevTokenIssuer(
            baseUrl + DevTokenIssuer.PathBase,
            "api://safety-surveillance-local",
            "trust",
            DevIssuerKey.LoadOrCreate(Path.Combine(dataDirectory, "dev-issuer")),
            new DevIssuerOptions(),
            TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port.Value));
        var app = builder.Build();
        var guard = new DevIssuerGuard();
        app.MapDevIssuer(issuer, guard);
        await app.StartAsync(TestContext.Current.CancellationToken);
        guard.CheckBinding(app.Urls);
        return new DevIssuerServer(app, issuer, baseUrl, dataDirectory);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Issuer.Key.Dispose();
    }
}
