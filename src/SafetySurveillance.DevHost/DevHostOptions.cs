namespace SafetySurveillance.DevHost;

/// <summary>DevHost settings (section <c>DevHost</c>; command line <c>--DevHost:Name value</c>).</summary>
public sealed class DevHostOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "DevHost";

    /// <summary>The function app folder (host.json + function folders + binaries). Default: the build output of SafetySurveillance.Functions.</summary>
    public string? AppPath { get; set; }

    /// <summary>The local settings file whose <c>Values</c> become app settings. Default: local.settings.json, else local.settings.sample.json, at the repository root.</summary>
    public string? SettingsFile { get; set; }

    /// <summary>Where Azurite and the emulator keep their data. Default: <c>.data</c> at the repository root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The public HTTP port for HTTP-triggered functions (as Core Tools: 7071).</summary>
    public int HttpPort { get; set; } = 7071;

    /// <summary>Start Azurite (false: use the storage connection from the settings as is).</summary>
    public bool StartAzurite { get; set; } = true;

    /// <summary>Start the Event Hubs emulator in-process (false: use the Event Hubs connection from the settings as is).</summary>
    public bool StartEmulator { get; set; } = true;

    /// <summary>The emulator's AMQP port (5672, the official emulator's default; 0 picks a free port).</summary>
    public int EmulatorPort { get; set; } = 5672;

    /// <summary>An emulator Config.json (official schema). Default: hub <c>safety-events</c> with <see cref="Partitions"/> partitions and the app's consumer group.</summary>
    public string? EmulatorConfig { get; set; }

    /// <summary>Partitions of <c>safety-events</c> when no emulator config is given.</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Use Azurite's default ports (10000–10002) so <c>UseDevelopmentStorage=true</c> works; false picks free ports.</summary>
    public bool AzuriteDefaultPorts { get; set; } = true;

    /// <summary>Start maildev (a real SMTP server with a web view) and point the function app's <c>Smtp</c> settings at it.</summary>
    public bool StartMaildev { get; set; } = true;

    /// <summary>maildev's SMTP port. Default: 1025 (maildev's own) with <see cref="AzuriteDefaultPorts"/>, else a free port.</summary>
    public int? MaildevSmtpPort { get; set; }

    /// <summary>maildev's web port. Default: 1080 (maildev's own) with <see cref="AzuriteDefaultPorts"/>, else a free port.</summary>
    public int? MaildevWebPort { get; set; }
}
