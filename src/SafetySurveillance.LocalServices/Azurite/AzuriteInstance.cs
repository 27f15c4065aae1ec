using System.Diagnostics;
using System.Globalization;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.LocalServices.Azurite;

/// <summary>
/// A real Azurite (the pinned npm package) running as a child process on free loopback ports.
/// Stopped with SIGINT, because Azurite only flushes its last writes on SIGINT (SIGTERM loses up to 5 s of them).
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxStartAttempts = 3;
    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly bool _ownsDataDirectory;
    private readonly AzuriteOptions _options;
    private int _stopped;
    private int _disposed;

    private AzuriteInstance(Process process, OutputTail output, AzuriteOptions options, string dataDirectory, bool ownsDataDirectory, int[] ports)
    {
        _process = process;
        _output = output;
        _options = options;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        BlobEndpoint = Endpoint(ports[0]);
        QueueEndpoint = Endpoint(ports[1]);
        TableEndpoint = Endpoint(ports[2]);
    }

    /// <summary>The folder holding this instance's data.</summary>
    public string DataDirectory { get; }

    /// <summary>Blob service endpoint including the account path.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Queue service endpoint including the account path.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>Table service endpoint including the account path.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The Azurite process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the Azurite process is still running.</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && !_process.HasExited;

    /// <summary>A storage connection string for all three services of this instance.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};");

    /// <summary>Starts Azurite and waits until blob, queue and table services all accept connections.</summary>
    public static async Task<AzuriteInstance> StartAsync(AzuriteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var script = Path.Combine(options.NodeModulesDirectory, "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new AzuriteStartException(
                $"Azurite is not installed at '{script}'. Run scripts/bootstrap.sh (it runs 'npm ci' with the pinned lock file).");
        }

        var ownsData = options.DataDirectory is null;
        var dataDirectory = options.DataDirectory
            ?? Directory.CreateTempSubdirectory("azurite-").FullName;
        Directory.CreateDirectory(dataDirectory);

        Exception? lastFailure = null;
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            var ports = options.Ports is { } fixedPorts ? [fixedPorts.Blob, fixedPorts.Queue, fixedPorts.Table] : FreePort.Next(3);
            var (process, output) = Launch(script, dataDirectory, ports, options.InMemory, options.LogFile);
            var instance = new AzuriteInstance(process, output, options, dataDirectory, ownsData, ports);
            try
            {
                await instance.WaitUntilListeningAsync(ports, options.StartTimeout, cancellationToken).ConfigureAwait(false);
                return instance;
            }
            catch (AzuriteStartException ex) when (options.Ports is null && attempt < MaxStartAttempts && ex.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process took one of the chosen ports between choosing and binding: try new ports.
                lastFailure = ex;
                await instance.KillAsync().ConfigureAwait(false);
            }
            catch
            {
                await instance.KillAsync().ConfigureAwait(false);
                if (ownsData)
                {
                    TryDelete(dataDirectory);
                }

                throw;
            }
        }

        throw lastFailure!;
    }

    /// <summary>Stops Azurite with SIGINT and waits for it to flush and exit; kills it if it overruns the stop timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _process.HasExited)
        {
            return;
        }

        PosixSignal.Send(_process.Id, PosixSignal.Interrupt);
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
                    $"Azurite did not exit within {_options.StopTimeout} of SIGINT and was killed.{Environment.NewLine}{_output}");
            }
        }
    }

    /// <summary>Kills Azurite at once (SIGKILL), as a crash would; unsaved writes are lost.</summary>
    public async Task KillAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        if (!_process.HasExited)
        {
            PosixSignal.Send(_process.Id, PosixSignal.Interrupt);
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>What Azurite printed most recently (for failure messages).</summary>
    public string RecentOutput => _output.ToString();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _disposed, 1);
            _process.Dispose();
            if (_ownsDataDirectory)
            {
                TryDelete(DataDirectory);
            }
        }
    }

    private static Uri Endpoint(int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{AccountName}"));

    private static (Process Process, OutputTail Output) Launch(string script, string dataDirectory, int[] ports, bool inMemory, string? logFile)
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
            start.ArgumentList.Add("exec node \"$@\" >>\"$AZURITE_LOG\" 2>&1");
            start.ArgumentList.Add("azurite");
            start.Environment["AZURITE_LOG"] = logFile;
        }

        start.UseShellExecute = false;
        start.WorkingDirectory = dataDirectory;
        string[] args =
        [
            script,
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(CultureInfo.InvariantCulture),
            "--disableTelemetry",
            // No access log: formatting a line per request was 7-10 % of Azurite's CPU under ingestion load.
            "--silent",
            "--skipApiVersionCheck",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Azurite refuses --location together with --inMemoryPersistence.
        if (inMemory)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataDirectory);
        }

        var output = new OutputTail();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        if (!process.Start())
        {
            throw new AzuriteStartException("Could not start 'node' for Azurite. Is Node.js installed?");
        }

        if (logFile is null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        else
        {
            output.Add($"(Azurite output goes to {logFile})");
        }
        return (process, output);
    }

    private async Task WaitUntilListeningAsync(int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in ports)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_process.HasExited)
                {
                    throw new AzuriteStartException(
                        $"Azurite exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{_output}");
                }

                if (await FreePort.IsListeningAsync(port, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new AzuriteStartException(
                        $"Azurite did not listen on port {port} within {timeout}.{Environment.NewLine}{_output}");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
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
