using System.Diagnostics;
using System.Globalization;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.LocalServices.Maildev;

/// <summary>
/// A real maildev (the pinned npm package): an SMTP server that keeps every message it receives and shows them in a
/// web interface with a REST API, running as a child process in its own session on loopback ports. SMTP is plain
/// (no STARTTLS offered, no authentication). Stopped with SIGTERM, which maildev handles by closing both servers.
/// </summary>
/// <example>
/// <code>
/// await using var maildev = await MaildevInstance.StartAsync(new MaildevOptions { NodeModulesDirectory = "node_modules" });
/// // configure the app with Smtp:Host = maildev.Host, Smtp:Port = maildev.SmtpPort
/// using var client = maildev.CreateClient();
/// var emails = await client.ListEmailsAsync();
/// </code>
/// </example>
public sealed class MaildevInstance : IAsyncDisposable
{
    /// <summary>The loopback address both servers bind to.</summary>
    public const string Host = "127.0.0.1";

    private const int MaxStartAttempts = 3;
    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly MaildevOptions _options;
    private readonly bool _ownsMailDirectory;
    private int _stopped;
    private int _disposed;

    private MaildevInstance(Process process, OutputTail output, MaildevOptions options, string mailDirectory, bool ownsMailDirectory, MaildevPorts ports)
    {
        _process = process;
        _output = output;
        _options = options;
        MailDirectory = mailDirectory;
        _ownsMailDirectory = ownsMailDirectory;
        SmtpPort = ports.Smtp;
        WebPort = ports.Web;
        WebEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{ports.Web}/"));
    }

    /// <summary>The SMTP port on <see cref="Host"/>.</summary>
    public int SmtpPort { get; }

    /// <summary>The web interface and REST API port on <see cref="Host"/>.</summary>
    public int WebPort { get; }

    /// <summary>The web interface (the REST API is under <c>api/</c>).</summary>
    public Uri WebEndpoint { get; }

    /// <summary>The folder that holds the received messages as <c>.eml</c> files.</summary>
    public string MailDirectory { get; }

    /// <summary>The maildev process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the maildev process is still running.</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && !_process.HasExited;

    /// <summary>What maildev printed most recently (for failure messages).</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>Starts maildev and waits until its SMTP and web ports accept connections.</summary>
    /// <exception cref="MaildevStartException">maildev is not installed, exited, or did not listen in time.</exception>
    public static async Task<MaildevInstance> StartAsync(MaildevOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var script = Path.Combine(options.NodeModulesDirectory, "maildev", "dist", "bin", "maildev.js");
        if (!File.Exists(script))
        {
            throw new MaildevStartException(
                $"maildev is not installed at '{script}'. Run scripts/bootstrap.sh (it runs 'npm ci' with the pinned lock file).");
        }

        var ownsMailDirectory = options.MailDirectory is null;
        var mailDirectory = options.MailDirectory ?? Directory.CreateTempSubdirectory("maildev-").FullName;
        Directory.CreateDirectory(mailDirectory);

        Exception? lastFailure = null;
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            var ports = options.Ports ?? Free();
            var (process, output) = Launch(script, mailDirectory, ports, options.LogFile);
            var instance = new MaildevInstance(process, output, options, mailDirectory, ownsMailDirectory, ports);
            try
            {
                await instance.WaitUntilListeningAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
                return instance;
            }
            catch (MaildevStartException ex) when (options.Ports is null && attempt < MaxStartAttempts && ex.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process took one of the chosen ports between choosing and binding: try new ports.
                lastFailure = ex;
                await instance.KillAsync().ConfigureAwait(false);
                instance._process.Dispose();
            }
            catch
            {
                await instance.KillAsync().ConfigureAwait(false);
                instance._process.Dispose();
                if (ownsMailDirectory)
                {
                    TryDelete(mailDirectory);
                }

                throw;
            }
        }

        throw lastFailure!;
    }

    /// <summary>A client for this instance's REST API (dispose it when done).</summary>
    public MaildevClient CreateClient() => new(WebEndpoint);

    /// <summary>Stops maildev with SIGTERM and waits for it to exit; kills it if it overruns the stop timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _process.HasExited)
        {
            return;
        }

        PosixSignal.Send(_process.Id, PosixSignal.Terminate);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"maildev did not exit within {_options.StopTimeout} of SIGTERM and was killed.{Environment.NewLine}{_output}");
            }
        }
    }

    /// <summary>Kills maildev at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        if (!_process.HasExited)
        {
            PosixSignal.Send(_process.Id, PosixSignal.Kill);
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _disposed, 1);
            _process.Dispose();
            if (_ownsMailDirectory)
            {
                TryDelete(MailDirectory);
            }
        }
    }

    private static MaildevPorts Free()
    {
        var ports = FreePort.Next(2);
        return new MaildevPorts(ports[0], ports[1]);
    }

    private static (Process Process, OutputTail Output) Launch(string script, string mailDirectory, MaildevPorts ports, string? logFile)
    {
        ProcessStartInfo start;
        if (logFile is null)
        {
            start = ProcessGroups.NewSession("node");
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
        }
        else
        {
            // sh replaces itself with node (same pid), with output appended to the log file.
            start = ProcessGroups.NewSession("/bin/sh");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec node \"$@\" >>\"$MAILDEV_LOG\" 2>&1");
            start.ArgumentList.Add("maildev");
            start.Environment["MAILDEV_LOG"] = logFile;
        }

        start.UseShellExecute = false;
        start.WorkingDirectory = mailDirectory;
        // maildev also reads MAILDEV_* variables; clear them so the command line alone decides.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MAILDEV_", StringComparison.Ordinal) && k != "MAILDEV_LOG").ToList())
        {
            start.Environment.Remove(name);
        }

        string[] args =
        [
            script,
            "--smtp", ports.Smtp.ToString(CultureInfo.InvariantCulture),
            "--ip", Host,
            "--web", ports.Web.ToString(CultureInfo.InvariantCulture),
            "--web-ip", Host,
            "--mail-directory", mailDirectory,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new OutputTail();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        if (!process.Start())
        {
            throw new MaildevStartException("Could not start 'node' for maildev. Is Node.js installed?");
        }

        if (logFile is null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        else
        {
            output.Add($"(maildev output goes to {logFile})");
        }

        return (process, output);
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // maildev binds SMTP first and the web server after it, so a health answer from the web server means both are up.
        // A port probe alone could be answered by another process that holds the port (maildev then exits with EADDRINUSE).
        var deadline = DateTime.UtcNow + timeout;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(WebEndpoint, "api/healthz");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new MaildevStartException(
                    $"maildev exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{_output}");
            }

            if (await IsHealthyAsync(http, health, cancellationToken).ConfigureAwait(false)
                && await FreePort.IsListeningAsync(SmtpPort, cancellationToken).ConfigureAwait(false)
                && !_process.HasExited)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new MaildevStartException(
                    $"maildev did not answer on {health} within {timeout}.{Environment.NewLine}{_output}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, Uri health, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(health, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode && body.Trim() == "true";
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The per-request timeout: not up yet.
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A throw-away folder left behind in the temp directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
