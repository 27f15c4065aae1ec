using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.Storage.Trusts;
using SafetySurveillance.TestInfrastructure.Azurite;
using SafetySurveillance.Functions.Tests.Support;
using Xunit;

namespace SafetySurveillance.Functions.Tests.SubmitEvents;

/// <summary>
/// The whole function app in-process (WebApplicationFactory, so calls go through the custom-handler routes exactly as the
/// Functions host makes them) against a real Azurite and the real Event Hubs emulator over loopback AMQP.
/// Tests use their own ODS codes, so they share the hub and tables without seeing each other's rows.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string HubName = "safety-events";
    public const string ConsumerGroup = "functions-ingest";
    public const string PseudonymisationKey = "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA=";
    public const string PseudonymisationKeyId = "test-1";

    /// <summary>The clock the app judges event dates against (the samples' "now").</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-tests-" + Guid.NewGuid().ToString("N"));
    private EventHubsEmulator? _emulator;
    private WebApplicationFactory<Program>? _app;

    public AzuriteFixture Azurite => _azurite;

    public FakeTimeProvider Time { get; } = new(Now);

    public HttpClient Handler { get; private set; } = null!;

    public TrustKeyHasher Hasher { get; } = TrustKeyHasher.FromPseudonymisationKey(PseudonymisationKey, PseudonymisationKeyId);

    public TrustDirectory Trusts { get; private set; } = null!;

    public TableClient DeadLetters { get; private set; } = null!;

    public DeadLetterStore DeadLetterStore => _app!.Services.GetRequiredService<DeadLetterStore>();

    public string EventHubConnectionString => _emulator!.GetConnectionString();

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _emulator = await EventHubsEmulator.StartAsync(new EventHubsEmulatorOptions
        {
            Port = 0,
            DataDirectory = _dataDirectory,
            Configuration = EmulatorConfiguration.ForHubs([(HubName, 2)], ConsumerGroup),
        });

        _app = CreateApp(_emulator.GetConnectionString());
        Handler = _app.CreateClient();
        Trusts = new TrustDirectory(_azurite.CreateTableServiceClient().GetTableClient(TrustDirectory.TableName), Hasher, Time);
        DeadLetters = _azurite.CreateTableServiceClient().GetTableClient(DeadLetterStore.TableName);
    }

    /// <summary>The function app, hosted in-process, with every setting it validates at start; Event Hubs at <paramref name="eventHubConnection"/>.</summary>
    public WebApplicationFactory<Program> CreateApp(string eventHubConnection)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage"] = _azurite.ConnectionString,
            ["EventHubConnection"] = eventHubConnection,
            ["EventHubName"] = HubName,
            ["EventHubConsumerGroup"] = ConsumerGroup,
            ["Pseudonymisation:Key"] = PseudonymisationKey,
            ["Pseudonymisation:KeyId"] = PseudonymisationKeyId,
            ["Smtp:Host"] = "localhost",
            ["Smtp:Port"] = "2525",
            ["Smtp:From"] = "safety-alerts@localhost.test",
            ["Webhooks:SigningKey"] = "local-development-only-webhook-signing-key",
            ["Auth:Authority"] = "http://localhost:7071/dev-issuer",
            ["Auth:Audience"] = "api://safety-surveillance-local",
            ["Governance:NationalReviewers"] = "national.reviewer@localhost.test",
        };
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        });
    }

    /// <summary>A fresh 5-character ODS code no other test uses.</summary>
    public static string NewOdsCode() => "T" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();

    /// <summary>Registers a new trust and returns its ODS code and key.</summary>
    public async Task<(string Ods, string Key)> NewTrustAsync(CancellationToken cancellationToken)
    {
        var ods = NewOdsCode();
        var registration = await Trusts.RegisterAsync(new TrustDetails(ods, $"Test trust {ods}", [$"governance@{ods.ToLowerInvariant()}.nhs.test"]), cancellationToken: cancellationToken);
        return (ods, registration.IssuedKey!.Key);
    }

    /// <summary>Invokes <c>SubmitEvents</c> as the Functions host does: <c>POST /SubmitEvents</c> with <c>Data.req</c>.</summary>
    public Task<HandlerAnswer> SubmitAsync(string ods, string? body, string? contentType, IDictionary<string, string>? headers, CancellationToken cancellationToken, bool hostEncodesQueryAsString = false) =>
        SubmitAsync(Handler, ods, body, contentType, headers, cancellationToken, hostEncodesQueryAsString);

    /// <summary>
    /// Invokes <c>SubmitEvents</c> on <paramref name="handler"/>. With <paramref name="hostEncodesQueryAsString"/> the
    /// payload has <c>Query</c> and <c>Identities</c> JSON-encoded as strings, as some host versions write them.
    /// </summary>
    public static async Task<HandlerAnswer> SubmitAsync(HttpClient handler, string ods, string? body, string? contentType, IDictionary<string, string>? headers, CancellationToken cancellationToken, bool hostEncodesQueryAsString = false)
    {
        var requestHeaders = new JsonObject();
        if (contentType is not null)
        {
            requestHeaders["Content-Type"] = new JsonArray(contentType);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            requestHeaders[name] = new JsonArray(value);
        }

        var request = new JsonObject
        {
            ["Url"] = $"https://func-safety.azurewebsites.net/api/trusts/{ods}/events",
            ["Method"] = "POST",
            ["Query"] = hostEncodesQueryAsString ? JsonValue.Create("{\"code\":\"x\"}") : new JsonObject(),
            ["Headers"] = requestHeaders,
            ["Params"] = new JsonObject { ["ods"] = ods },
            ["Body"] = body,
            ["Identities"] = hostEncodesQueryAsString ? JsonValue.Create("[]") : new JsonArray(),
        };

        var output = await HttpTriggerInvocation.PostAsync(handler, "SubmitEvents", request, cancellationToken);
        return new HandlerAnswer(output.StatusCode, output.Body is null ? null : JsonNode.Parse(output.Body), output.Headers, output.Logs);
    }

    /// <summary>Every event on the hub sent through the publisher <paramref name="ods"/>, read up to each partition's last enqueued event.</summary>
    public async Task<List<EventData>> EventsFromPublisherAsync(string ods, CancellationToken cancellationToken)
    {
        await using var consumer = new EventHubConsumerClient(ConsumerGroup, EventHubConnectionString, HubName);
        var events = new List<EventData>();
        foreach (var partition in await consumer.GetPartitionIdsAsync(cancellationToken))
        {
            var properties = await consumer.GetPartitionPropertiesAsync(partition, cancellationToken);
            if (properties.IsEmpty)
            {
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await foreach (var partitionEvent in consumer.ReadEventsFromPartitionAsync(partition, EventPosition.Earliest, timeout.Token))
            {
                if (partitionEvent.Data is not { } data)
                {
                    continue;
                }

                if (data.PublisherName == ods)
                {
                    events.Add(data);
                }

                if (data.SequenceNumber >= properties.LastEnqueuedSequenceNumber)
                {
                    break;
                }
            }
        }

        return events;
    }

    /// <summary>The trust's dead-letter rows.</summary>
    public async Task<List<TableEntity>> DeadLettersOfAsync(string ods, CancellationToken cancellationToken)
    {
        try
        {
            return await DeadLetters.QueryAsync<TableEntity>(e => e.PartitionKey == ods, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Handler?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}

/// <summary>What the trust would receive: the <c>res</c> output of the invocation, and the host log lines.</summary>
public sealed record HandlerAnswer(int StatusCode, JsonNode? Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Logs)
{
    public JsonArray Events => Body!["events"]!.AsArray();

    public JsonObject Event(int index) => Events.Single(e => (int)e!["index"]! == index)!.AsObject();

    public string[] Problems(int index) => Event(index)["problems"]!.AsArray().Select(p => $"{(string)p!["path"]!}: {(string)p["reason"]!}").ToArray();
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "Gateway";
}
