using System.Globalization;
using System.Text.Json;

namespace SafetySurveillance.CustomHandler.Definitions;

/// <summary>The parts of <c>host.json</c> that a host (the real one, or DevHost) acts on.</summary>
public sealed record HostDefinition
{
    /// <summary>The executable that runs the handler (for a .NET handler: <c>dotnet</c>).</summary>
    public string DefaultExecutablePath { get; init; } = "";

    /// <summary>Arguments to the executable (for a .NET handler: the app's dll).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The handler's working directory, relative to the app root (empty: the app root).</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Whether HTTP-only functions receive the original request instead of an invocation envelope.</summary>
    public bool EnableForwardingHttpRequest { get; init; }

    /// <summary>The HTTP route prefix (<c>api</c> unless set).</summary>
    public string HttpRoutePrefix { get; init; } = "api";

    /// <summary>The longest an invocation may run.</summary>
    public TimeSpan? FunctionTimeout { get; init; }

    /// <summary>Event Hubs trigger settings (<c>extensions.eventHubs</c>).</summary>
    public EventHubsTriggerSettings EventHubs { get; init; } = new();

    /// <summary>Queue trigger settings (<c>extensions.queues</c>).</summary>
    public QueueTriggerSettings Queues { get; init; } = new();

    /// <summary>Reads <c>host.json</c> text.</summary>
    public static HostDefinition Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        var handler = Child(root, "customHandler");
        var description = handler is { } h ? Child(h, "description") : null;
        var extensions = Child(root, "extensions");
        var eventHubs = extensions is { } e1 ? Child(e1, "eventHubs") : null;
        var queues = extensions is { } e2 ? Child(e2, "queues") : null;
        var http = extensions is { } e3 ? Child(e3, "http") : null;

        return new HostDefinition
        {
            DefaultExecutablePath = Text(description, "defaultExecutablePath") ?? "",
            Arguments = description is { } d && d.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.Array
                ? [.. args.EnumerateArray().Select(a => a.GetString() ?? "")]
                : [],
            WorkingDirectory = Text(description, "workingDirectory") ?? "",
            EnableForwardingHttpRequest = handler is { } h2 && h2.TryGetProperty("enableForwardingHttpRequest", out var f) && f.ValueKind == JsonValueKind.True,
            HttpRoutePrefix = Text(http, "routePrefix") ?? "api",
            FunctionTimeout = Duration(root, "functionTimeout"),
            EventHubs = new EventHubsTriggerSettings
            {
                MaxEventBatchSize = Int(eventHubs, "maxEventBatchSize") ?? 100,
                MinEventBatchSize = Int(eventHubs, "minEventBatchSize") ?? 1,
                MaxWaitTime = Duration(eventHubs, "maxWaitTime") ?? TimeSpan.FromMinutes(1),
                BatchCheckpointFrequency = Int(eventHubs, "batchCheckpointFrequency") ?? 1,
                PrefetchCount = Int(eventHubs, "prefetchCount") ?? 300,
                InitialOffset = eventHubs is { } eh && Child(eh, "initialOffsetOptions") is { } io ? Text(io, "type") ?? "fromStart" : "fromStart",
            },
            Queues = new QueueTriggerSettings
            {
                BatchSize = Int(queues, "batchSize") ?? 16,
                MaxDequeueCount = Int(queues, "maxDequeueCount") ?? 5,
                VisibilityTimeout = Duration(queues, "visibilityTimeout") ?? TimeSpan.Zero,
                MaxPollingInterval = Duration(queues, "maxPollingInterval") ?? TimeSpan.FromMinutes(1),
                NewBatchThreshold = Int(queues, "newBatchThreshold"),
                MessageEncoding = string.Equals(Text(queues, "messageEncoding"), "none", StringComparison.OrdinalIgnoreCase)
                    ? QueueMessageBodyEncoding.None
                    : QueueMessageBodyEncoding.Base64,
            },
        };
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p
        && p.EnumerateObject().FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.Object } found
            ? found.Value
            : null;

    private static string? Text(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p
        && p.EnumerateObject().FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } found
            ? found.Value.GetString()
            : null;

    private static int? Int(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p
        && p.EnumerateObject().FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.Number } found
            ? found.Value.GetInt32()
            : null;

    private static TimeSpan? Duration(JsonElement? parent, string name) =>
        Text(parent, name) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : null;
}

/// <summary>Event Hubs trigger settings, with the defaults of the Functions Event Hubs extension.</summary>
public sealed record EventHubsTriggerSettings
{
    /// <summary>Most events per invocation (default 100).</summary>
    public int MaxEventBatchSize { get; init; } = 100;

    /// <summary>Fewest events per invocation before <see cref="MaxWaitTime"/> passes (default 1).</summary>
    public int MinEventBatchSize { get; init; } = 1;

    /// <summary>How long to wait for <see cref="MinEventBatchSize"/> events (default 1 minute; only used when the minimum is above 1).</summary>
    public TimeSpan MaxWaitTime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Batches processed between checkpoints (default 1).</summary>
    public int BatchCheckpointFrequency { get; init; } = 1;

    /// <summary>Receiver prefetch (default 300).</summary>
    public int PrefetchCount { get; init; } = 300;

    /// <summary>Where to start without a checkpoint: <c>fromStart</c>, <c>fromEnd</c> or <c>fromEnqueuedTime</c>.</summary>
    public string InitialOffset { get; init; } = "fromStart";
}

/// <summary>Queue trigger settings, with the defaults of the Functions Storage Queues extension.</summary>
public sealed record QueueTriggerSettings
{
    /// <summary>Messages fetched per poll (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Dequeues before a message moves to the poison queue (default 5).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Visibility timeout applied after a failed invocation (default 0).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Longest gap between polls of an empty queue (default 1 minute).</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Messages in flight at or below which the next batch is fetched (null: the extension's default,
    /// <see cref="BatchSize"/>/2 per processor; a host runs at most <see cref="BatchSize"/> + this many at once).
    /// </summary>
    public int? NewBatchThreshold { get; init; }

    /// <summary>How message text is encoded in the queue (<c>messageEncoding</c>: base64, the default, or none).</summary>
    public QueueMessageBodyEncoding MessageEncoding { get; init; } = QueueMessageBodyEncoding.Base64;
}

/// <summary>The queues extension's <c>messageEncoding</c>.</summary>
public enum QueueMessageBodyEncoding
{
    /// <summary>Message text is base64 of the UTF-8 bytes (the default; what the Storage SDKs wrote before v12).</summary>
    Base64,

    /// <summary>Message text is the text itself.</summary>
    None,
}
