using SafetySurveillance.EventHubs.Emulator.Configuration;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Support;

/// <summary>One in-process emulator on a free port with a fresh data folder, shared by a test class.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    private EventHubsEmulator? emulator;

    public EventHubsEmulator Emulator => emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public string DataDirectory { get; } = TestPaths.NewTempDirectory("emulator-data");

    public string ConnectionString => Emulator.GetConnectionString();

    protected virtual EmulatorConfiguration Configuration => EmulatorConfiguration.ForHubs(
        [("props", 3), ("bykey", 4), ("bypartition", 2), ("positions", 2), ("latest", 1), ("metrics", 1), ("limits", 2)],
        "cg1");

    public async ValueTask InitializeAsync()
    {
        emulator = await EventHubsEmulator.StartAsync(new EventHubsEmulatorOptions
        {
            Port = 0,
            DataDirectory = DataDirectory,
            Configuration = Configuration,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
