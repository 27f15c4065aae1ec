namespace SafetySurveillance.LocalServices.Maildev;

/// <summary>How to start a <see cref="MaildevInstance"/>.</summary>
public sealed record MaildevOptions
{
    /// <summary>The <c>node_modules</c> folder that holds the pinned <c>maildev</c> package.</summary>
    public required string NodeModulesDirectory { get; init; }

    /// <summary>Fixed ports (SMTP, web). <see langword="null"/> picks free loopback ports.</summary>
    public MaildevPorts? Ports { get; init; }

    /// <summary>
    /// Folder where maildev keeps each received message as an <c>.eml</c> file and from which it reloads them when it
    /// starts again. <see langword="null"/> makes a throw-away folder that is deleted on dispose (maildev's own default,
    /// <c>/tmp/maildev</c>, is shared by every instance on the machine, so it is never used).
    /// </summary>
    public string? MailDirectory { get; init; }

    /// <summary>
    /// Write maildev's output to this file instead of a pipe to the parent. Use it when maildev must outlive its parent
    /// (DevHost): a pipe whose reader died makes Node fail with EPIPE at its next write.
    /// </summary>
    public string? LogFile { get; init; }

    /// <summary>How long to wait for the SMTP and web ports to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a SIGTERM stop may take before the process is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>The two maildev ports.</summary>
/// <param name="Smtp">The SMTP port (plain SMTP, no TLS, no authentication).</param>
/// <param name="Web">The web interface and REST API port.</param>
public sealed record MaildevPorts(int Smtp, int Web);
