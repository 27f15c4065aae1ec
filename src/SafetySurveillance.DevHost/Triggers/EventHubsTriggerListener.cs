using System.Buffers;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Status;
using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Processor;

namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// Drives one Event Hubs-triggered function as the Functions host does: an event processor with the host's blob
/// checkpoint layout in the <c>azure-webjobs-eventhub</c> container of <c>AzureWebJobsStorage</c>, batches of up to
/// <c>maxEventBatchSize</c> from one partition, the function's retry policy, and a checkpoint after every
/// <c>batchCheckpointFrequency</c> invocations — also after an invocation that failed every retry, as the host does.
/// </summary>
public sealed partial class EventHubsTriggerListener : BackgroundService
{
    /// <summary>The container the Functions host keeps Event Hubs checkpoints in.</summary>
    public const string CheckpointContainer = "azure-webjobs-eventhub";

    private readonly FunctionDefinition _function;
    private readonly HostDefinition _host;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly FunctionInvoker _invoker;
    private readonly DevHostStatus _status;
    private readonly FunctionAppSupervisor _app;
    private readonly ILogger _logger;

    /// <summary>Creates the listener for <paramref name="function"/>.</summary>
    public EventHubsTriggerListener(
        FunctionDefinition function,
        HostDefinition host,
        IReadOnlyDictionary<string, string> settings,
        FunctionInvoker invoker,
        DevHostStatus status,
        FunctionAppSupervisor app,
        ILogger<EventHubsTriggerListener> logger)
    {
        _app = app;
        _function = function;
        _host = host;
        _settings = settings;
        _invoker = invoker;
        _status = status;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Like the host, deliver nothing before the handler answers.
        await _app.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
        var trigger = _function.Trigger;
        string Setting(string name) => _settings.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name) ?? "";
        var hub = FunctionAppDefinition.ResolveSettings(trigger.Get("eventHubName") ?? "", Setting);
        var consumerGroup = FunctionAppDefinition.ResolveSettings(trigger.Get("consumerGroup") ?? "$Default", Setting);
        var connection = Setting(trigger.Get("connection") ?? "EventHubConnection");
        var encoding = string.Equals(trigger.Get("dataType"), "binary", StringComparison.OrdinalIgnoreCase) ? EventBodyEncoding.Binary : EventBodyEncoding.String;
        var checkpoints = new BlobContainerClient(Setting("AzureWebJobsStorage"), CheckpointContainer);
        await checkpoints.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);

        var settings = _host.EventHubs;
        await using var processor = new EventProcessorClient(checkpoints, consumerGroup, connection, hub, new EventProcessorClientOptions
        {
            MaximumBatchSize = settings.MaxEventBatchSize,
            MaximumWaitTime = settings.MinEventBatchSize > 1 ? settings.MaxWaitTime : null,
            PrefetchCount = settings.PrefetchCount,
            DefaultStartingPosition = settings.InitialOffset == "fromEnd" ? EventPosition.Latest : EventPosition.Earliest,
            LoadBalancingUpdateInterval = TimeSpan.FromSeconds(5),
            PartitionOwnershipExpirationInterval = TimeSpan.FromSeconds(20),
        });
        var sinceCheckpoint = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        processor.ProcessEventBatchAsync += async args =>
        {
            if (args.Events.Count == 0)
            {
                return;
            }

            var batch = ToTriggerBatch(processor, args);
            var request = batch.ToInvocationRequest(encoding, trigger.Name);
            var answer = await _invoker.InvokeWithRetriesAsync(_function, request, args.CancellationToken).ConfigureAwait(false);
            _status.Delivered(args.Events.Count, answer is not null);
            var count = sinceCheckpoint.AddOrUpdate(args.Partition.PartitionId, 1, (_, n) => n + 1);
            if (count >= settings.BatchCheckpointFrequency)
            {
                await args.UpdateCheckpointAsync(args.CancellationToken).ConfigureAwait(false);
                sinceCheckpoint[args.Partition.PartitionId] = 0;
                _status.Checkpointed();
            }
        };
        processor.ProcessErrorAsync += args =>
        {
            LogProcessorError(_logger, args.Exception, _function.Name, args.PartitionId, args.Operation);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync(stoppingToken).ConfigureAwait(false);
        LogListening(_logger, _function.Name, hub, consumerGroup);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            await processor.StopProcessingAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static EventHubsTriggerBatch ToTriggerBatch(EventProcessorClient processor, ProcessEventBatchArgs args)
    {
        var context = new EventHubsPartitionContext(processor.FullyQualifiedNamespace, processor.EventHubName, processor.ConsumerGroup, args.Partition.PartitionId);
        var events = args.Events.Select(e => new EventHubsTriggerEvent(
            e.Body,
            e.SequenceNumber,
            e.OffsetString ?? "",
            e.EnqueuedTime,
            e.PartitionKey,
            ToJson(e.Properties),
            SystemProperties(e))).ToList();
        return new EventHubsTriggerBatch(context, events);
    }

    private static Dictionary<string, JsonElement> SystemProperties(EventData e) =>
        ToJson(e.SystemProperties, ("content-type", e.ContentType), (EventHubsTriggerBatch.PublisherAnnotation, e.PublisherName));

    /// <summary>
    /// The values as JSON, all in one small document per event (one JSON element per value cost a document each —
    /// thousands per batch). Byte arrays become base64, times ISO 8601 in UTC; <paramref name="overrides"/> that are not
    /// null replace values of the same name.
    /// </summary>
    private static Dictionary<string, JsonElement> ToJson(IEnumerable<KeyValuePair<string, object>> values, params (string Name, string? Value)[] overrides)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                switch (value)
                {
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    case int number:
                        writer.WriteNumberValue(number);
                        break;
                    case byte[] bytes:
                        writer.WriteStringValue(Convert.ToBase64String(bytes));
                        break;
                    case DateTime time:
                        writer.WriteStringValue(new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero));
                        break;
                    default:
                        JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object));
                        break;
                }
            }

            foreach (var (name, value) in overrides)
            {
                if (value is not null)
                {
                    writer.WriteString(name, value);
                }
            }

            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in JsonElement.ParseValue(ref reader).EnumerateObject())
        {
            result[property.Name] = property.Value;
        }

        return result;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Function} listening to hub {Hub}, consumer group {ConsumerGroup}")]
    private static partial void LogListening(ILogger logger, string function, string hub, string consumerGroup);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Function}: processor error on partition {PartitionId} during {Operation}")]
    private static partial void LogProcessorError(ILogger logger, Exception exception, string function, string? partitionId, string operation);
}
