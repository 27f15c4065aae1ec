using System.Text.Json;

namespace SafetySurveillance.DevHost;

/// <summary>
/// What a running DevHost serves, written to <c>{data}/devhost.json</c> once it is ready: tests and tools read it to
/// find the stack, and a DevHost restarted on the same data folder reuses the Azurite it names.
/// </summary>
/// <param name="Storage">The storage connection string (Azurite).</param>
/// <param name="EventHubs">The Event Hubs connection string (the emulator).</param>
/// <param name="Http">The functions' HTTP base address.</param>
/// <param name="AzuriteTablePort">Azurite's table port, when DevHost started or adopted it.</param>
/// <param name="ProcessId">DevHost's process id.</param>
/// <param name="AzuriteProcessId">Azurite's process id, when DevHost started or adopted it.</param>
/// <param name="Maildev">maildev's web interface (its REST API is under <c>api/</c>), when DevHost runs it.</param>
/// <param name="MaildevSmtpPort">maildev's SMTP port on 127.0.0.1.</param>
/// <param name="MaildevProcessId">maildev's process id, when DevHost started or adopted it.</param>
public sealed record DevHostEndpoints(
    string Storage,
    string EventHubs,
    string Http,
    int? AzuriteTablePort,
    int ProcessId,
    int? AzuriteProcessId = null,
    string? Maildev = null,
    int? MaildevSmtpPort = null,
    int? MaildevProcessId = null)
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
