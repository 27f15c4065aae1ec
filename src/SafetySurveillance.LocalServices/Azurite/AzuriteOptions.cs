namespace SafetySurveillance.LocalServices.Azurite;

/// <summary>How to start an <see cref="AzuriteInstance"/>.</summary>
public sealed record AzuriteOptions
{
    /// <summary>The <c>node_modules</c> folder that holds the pinned <c>azurite</c> package.</summary>
    public required string NodeModulesDirectory { get; init; }

    /// <summary>Fixed ports (blob, queue, table). <see langword="null"/> picks free loopback ports.</summary>
    public AzuritePorts? Ports { get; init; }

    /// <summary>Folder for Azurite's data. <see langword="null"/> makes a throw-away folder that is deleted on dispose.
    /// Pass the folder of a stopped instance to start again on its data.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Write Azurite's output to this file instead of a pipe to the parent. Use it when Azurite must outlive its parent
    /// (DevHost): a pipe whose reader died makes Node fail with EPIPE at its next write.
    /// </summary>
    public string? LogFile { get; init; }

    /// <summary>Keep data in memory only (faster; nothing survives a stop).</summary>
    public bool InMemory { get; init; }

    /// <summary>How long to wait for all three services to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a SIGINT stop may take before the process is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The three Azurite service ports.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's default ports, which <c>UseDevelopmentStorage=true</c> expects.</summary>
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);
}
