using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>The emulator's console program run as a child process (<c>dotnet SafetySurveillance.EventHubs.Emulator.dll</c>).</summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly Process process;

    private EmulatorProcess(Process process, int port, int healthPort)
    {
        this.process = process;
        Port = port;
        HealthPort = healthPort;
    }

    public int Port { get; }

    public int HealthPort { get; }

    public int ProcessId => process.Id;

    public static async Task<EmulatorProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SafetySurveillance.EventHubs.Emulator.dll"));
        foreach (var argument in (string[])["--port", "0", "--health-port", "0", "--data", dataDirectory, .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
                throw new InvalidOperationException($"The emulator exited before listening: {errors}");
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new EmulatorProcess(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>SIGKILL: the process ends at once, as with <c>kill -9</c>.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    [GeneratedRegex(@"^listening amqp=(\d+) health=(\d+)")]
    private static partial Regex ListeningLine();
}
