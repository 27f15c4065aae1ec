using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SafetySurveillance.Infrastructure.Tests.Bicep;
using SafetySurveillance.TestInfrastructure.Azurite;

namespace SafetySurveillance.Infrastructure.Tests.Publishing;

/// <summary>
/// Starts the published app the way the Functions host does (host.json's executable and arguments, from the
/// package root, a port in FUNCTIONS_CUSTOMHANDLER_PORT, app settings as environment variables) and calls it
/// the way the host does.
/// </summary>
[Collection(PublishedPackageCollection.Name)]
public sealed class CustomHandlerProcessTests(PublishedPackage package, AzuriteFixture azurite)
{
    // The host gives a handler 60 s to answer its readiness probe; so do we.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_published_app_answers_the_readiness_probe_and_the_health_invocation()
    {
        await using var app = await HandlerProcess.StartAsync(package.Extracted, Settings());
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var invocation = await http.PostAsJsonAsync("/Health", HostEnvelope("GET", "/api/health"), TestContext.Current.CancellationToken);
        var answer = JsonNode.Parse(await invocation.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var res = answer["Outputs"]!["res"]!;
        var body = JsonNode.Parse((string)res["body"]!)!;

        Assert.Equal(HttpStatusCode.OK, invocation.StatusCode);
        Assert.Equal(200, (int?)res["statusCode"]);
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.StartsWith("application/json", (string?)res["headers"]!["Content-Type"], StringComparison.Ordinal);
        Assert.NotEmpty(answer["Logs"]!.AsArray());
        Assert.Null(answer["ReturnValue"]);
    }

    [Fact]
    public async Task The_handler_has_a_route_for_every_function_folder_in_the_package()
    {
        await using var app = await HandlerProcess.StartAsync(package.Extracted, Settings());
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var functions = Directory.EnumerateFiles(package.Extracted, "function.json", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!))
            .ToList();

        Assert.NotEmpty(functions);
        foreach (var function in functions)
        {
            // Whatever the function makes of an empty invocation, the host's POST /{FunctionName} must reach it.
            using var answer = await http.PostAsJsonAsync($"/{function}", new { Data = new { }, Metadata = new { } }, TestContext.Current.CancellationToken);
            Assert.True(
                answer.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed),
                $"POST /{function} answered {(int)answer.StatusCode}: the handler has no route for it.");
        }
    }

    [Fact]
    public async Task The_published_app_stops_at_start_up_when_a_required_setting_is_missing()
    {
        var settings = Settings().Where(p => p.Key != "Pseudonymisation__Key").ToDictionary();
        using var process = HandlerProcess.Start(package.Extracted, settings, FreePort());
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(StartLimit);

        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Pseudonymisation", await stderr + await stdout, StringComparison.Ordinal);
    }

    // The sample's settings, with storage pointed at the test's Azurite (on free ports, not the defaults).
    private Dictionary<string, string> Settings()
    {
        var settings = AppSettings.LocalSample().ToDictionary();
        settings["Storage"] = azurite.ConnectionString;
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        return settings;
    }

    private static object HostEnvelope(string method, string url) => new
    {
        Data = new { req = new { Url = "https://localhost" + url, Method = method, Query = new { }, Headers = new { }, Params = new { } } },
        Metadata = new { },
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class HandlerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

        private HandlerProcess(Process process, int port)
        {
            _process = process;
            BaseAddress = new Uri($"http://127.0.0.1:{port}");
            // Drain both pipes so the app never blocks on a full pipe; keep the lines for failure messages.
            _process.OutputDataReceived += (_, e) => Keep(e.Data);
            _process.ErrorDataReceived += (_, e) => Keep(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        private void Keep(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }

        public Uri BaseAddress { get; }

        public static async Task<HandlerProcess> StartAsync(string root, IReadOnlyDictionary<string, string> settings)
        {
            var port = FreePort();
            var handler = new HandlerProcess(Start(root, settings, port), port);
            using var http = new HttpClient { BaseAddress = handler.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(StartLimit);
            while (true)
            {
                if (handler._process.HasExited)
                {
                    throw new InvalidOperationException($"The handler exited with {handler._process.ExitCode}:\n{string.Join('\n', handler._output)}");
                }

                try
                {
                    // Like the host: any HTTP answer on GET / means ready.
                    using var probe = await http.GetAsync(new Uri("/", UriKind.Relative), limit.Token);
                    return handler;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, limit.Token);
                }
            }
        }

        // As the host does: host.json's executable and arguments, working directory = package root.
        public static Process Start(string root, IReadOnlyDictionary<string, string> settings, int port)
        {
            var description = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "host.json")))!["customHandler"]!["description"]!;
            var executable = (string)description["defaultExecutablePath"]!;
            var start = new ProcessStartInfo(executable == "dotnet" ? DotnetHost() : executable)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in description["arguments"]!.AsArray())
            {
                start.ArgumentList.Add((string)argument!);
            }

            foreach (var (key, value) in settings)
            {
                start.Environment[key] = value;
            }

            start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Process.Start(start) ?? throw new InvalidOperationException("Could not start the handler.");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }

        private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
