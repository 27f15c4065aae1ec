using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;

namespace SafetySurveillance.EventHubs.Tests.Support;

/// <summary>
/// One in-process emulator per test class on a free port with a fresh data folder, with SAS checking on:
/// a namespace-wide manage key and a send-only key scoped to the publisher endpoint <c>publishers/Publishers/RX1</c>.
/// Each test uses its own hub so tests in a class do not see each other's events.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string RootKeyName = "RootManageSharedAccessKey";
    public const string RootKey = "root-key-for-tests";
    public const string TrustKeyName = "trust-RX1-send";
    public const string TrustKey = "trust-key-for-tests";

    private EventHubsEmulator? emulator;

    public EventHubsEmulator Emulator => emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "eh-client-tests-" + Guid.NewGuid().ToString("N"));

    public int Port { get; private set; }

    public static EmulatorConfiguration Configuration => EmulatorConfiguration.ForHubs(
        [("eh", 4), ("positions", 2), ("epoch", 2), ("recovery", 1), ("publishers", 2), ("processor", 4), ("resume", 2), ("crossjs", 2), ("crosscs", 2), ("batches", 3)],
        "cg1") with
    {
        Emulator = new EmulatorSection
        {
            SharedAccessPolicies =
            [
                new SharedAccessPolicy { Name = RootKeyName, Key = RootKey, Rights = ["Manage"] },
                new SharedAccessPolicy { Name = TrustKeyName, Key = TrustKey, Rights = ["Send"], Scope = "publishers/Publishers/RX1" },
            ],
        },
    };

    public string ConnectionString(string hub) => Emulator.GetConnectionString(hub, RootKeyName, RootKey);

    public string TrustConnectionString(string hub) => Emulator.GetConnectionString(hub, TrustKeyName, TrustKey);

    public async ValueTask InitializeAsync()
    {
        emulator = await StartAsync(0);
        Port = emulator.Port;
    }

    /// <summary>Stops the emulator, as a crash or restart would look to clients (acknowledged events stay on disk).</summary>
    public async Task StopAsync()
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
            emulator = null;
        }
    }

    /// <summary>Starts it again on the same port and data folder.</summary>
    public async Task RestartAsync() => emulator = await StartAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private Task<EventHubsEmulator> StartAsync(int port) => EventHubsEmulator.StartAsync(new EventHubsEmulatorOptions
    {
        Port = port,
        DataDirectory = DataDirectory,
        Configuration = Configuration,
    });
}
