using SafetySurveillance.LocalServices.Maildev;
using SafetySurveillance.LocalServices.Processes;

namespace SafetySurveillance.DevHost;

/// <summary>
/// The maildev DevHost runs for the function app's alert e-mail: started with its mail in <c>{data}/maildev</c> and its
/// output in <c>{data}/maildev.log</c> (so it can outlive a killed DevHost), or reused when a previous DevHost on the
/// same data folder left one listening.
/// </summary>
internal sealed class LocalMaildev : IAsyncDisposable
{
    /// <summary>maildev's own default SMTP port.</summary>
    public const int DefaultSmtpPort = 1025;

    /// <summary>maildev's own default web port.</summary>
    public const int DefaultWebPort = 1080;

    private readonly MaildevInstance? _started;
    private readonly int? _adoptedProcessId;

    private LocalMaildev(MaildevInstance? started, int smtpPort, int webPort, int? adoptedProcessId)
    {
        _started = started;
        SmtpPort = smtpPort;
        WebEndpoint = new Uri($"http://{MaildevInstance.Host}:{webPort}/");
        _adoptedProcessId = adoptedProcessId;
    }

    /// <summary>The SMTP port on <see cref="MaildevInstance.Host"/>.</summary>
    public int SmtpPort { get; }

    /// <summary>The web interface (REST API under <c>api/</c>).</summary>
    public Uri WebEndpoint { get; }

    /// <summary>maildev's process id, when known.</summary>
    public int? ProcessId => _started?.ProcessId ?? _adoptedProcessId;

    /// <summary>Reuses a listening maildev (fixed ports, or the ports in the previous devhost.json) or starts one.</summary>
    public static async Task<LocalMaildev> StartOrReuseAsync(DevHostOptions options, string nodeModules, string dataDirectory, DevHostEndpoints? previous)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaildevPorts? ports = options.MaildevSmtpPort is { } smtp && options.MaildevWebPort is { } web ? new MaildevPorts(smtp, web)
            : options.AzuriteDefaultPorts ? new MaildevPorts(options.MaildevSmtpPort ?? DefaultSmtpPort, options.MaildevWebPort ?? DefaultWebPort)
            : null;
        var previousWeb = previous?.Maildev is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Port : (int?)null;
        var candidate = ports ?? (previous?.MaildevSmtpPort is { } s && previousWeb is { } w ? new MaildevPorts(s, w) : null);
        if (candidate is not null
            && await FreePort.IsListeningAsync(candidate.Smtp).ConfigureAwait(false)
            && await FreePort.IsListeningAsync(candidate.Web).ConfigureAwait(false))
        {
            // Left running by a DevHost that was killed (or started by hand): same mail, same ports. Stop it at the end
            // only when devhost.json says it was ours.
            var ours = previous?.MaildevSmtpPort == candidate.Smtp && previousWeb == candidate.Web ? previous.MaildevProcessId : null;
            return new LocalMaildev(null, candidate.Smtp, candidate.Web, ours);
        }

        var instance = await MaildevInstance.StartAsync(new MaildevOptions
        {
            NodeModulesDirectory = nodeModules,
            Ports = ports,
            MailDirectory = Path.Combine(dataDirectory, "maildev"),
            LogFile = Path.Combine(dataDirectory, "maildev.log"),
        }).ConfigureAwait(false);
        return new LocalMaildev(instance, instance.SmtpPort, instance.WebPort, null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync().ConfigureAwait(false);
        }
        else if (_adoptedProcessId is { } orphan)
        {
            PosixSignal.Send(orphan, PosixSignal.Terminate);
        }
    }
}
