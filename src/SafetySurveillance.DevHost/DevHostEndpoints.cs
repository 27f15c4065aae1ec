using System.Text.Json;

namespace SafetySurveillance.DevHost;

/// <summary>
/// What a running DevHost serves, written to <c>{data}/devhost.json</c> once it is ready: tests and tools read it to
/// find the stack, and a DevHost restarted on the same data folder reuses the Azurite it names.
/// </summary>
public sealed record DevHostEndpoints(string Storage, string EventHubs, string Http, int? AzuriteTablePort, int ProcessId, int? AzuriteProcessId = null)
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "devhost.json";

    /// <summary>Writes the file (atomically: temp file, then rename).</summary>
    public async Task WriteAsync(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(this)).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the file, or null when there is none.</summary>
    public static async Task<DevHostEndpoints?> ReadAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DevHostEndpoints>(await File.ReadAllTextAsync(path).ConfigureAwait(false)) : null;
    }
}
