using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Functions.Tests.EvaluateSignals;

/// <summary>
/// The function app in-process (calls go through the custom-handler routes exactly as the Functions host makes them)
/// against its own real Azurite, with the default rules file copied under test procedure codes
/// (<see cref="Procedures"/>), a fake clock, and a substituted <see cref="ICallerAuthenticator"/>. Tests of one class
/// run one after another, so a test may empty the queues before it starts.
/// </summary>
public sealed class AlertsAppFixture : IAsyncLifetime
{
    /// <summary>"Today" for the app: 2026-03 cohorts are not mature for the CUSUM (3 months), January is.</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Procedure codes that carry the default rules (each test takes its own).</summary>
    public static readonly string[] Procedures = ["A48.4", "Z94.1", "Z94.2", "Z94.3", "Z94.4", "Z94.5", "Z94.6", "Z94.7", "Z94.8"];

    private readonly AzuriteFixture _azurite = new();
    private readonly string _rulesPath = Path.Combine(Path.GetTempPath(), "signal-rules-" + Guid.NewGuid().ToString("N") + ".json");
    private WebApplicationFactory<Program>? _app;

    public FakeTimeProvider Time { get; } = new(Now);

    public ICallerAuthenticator Authenticator { get; } = Substitute.For<ICallerAuthenticator>();

    public HttpClient Handler { get; private set; } = null!;

    /// <summary>A writer of its own on the Signals table (as the ingest function would be).</summary>
    public SignalTableStore Signals { get; private set; } = null!;

    /// <summary>The Alerts table, read directly.</summary>
    public AlertStore Alerts { get; private set; } = null!;

    /// <summary>The governance-alerts queue (base64, as the app writes it).</summary>
    public QueueClient GovernanceAlerts { get; private set; } = null!;

    /// <summary>The signals-touched queue (base64).</summary>
    public QueueClient SignalsTouched { get; private set; } = null!;

    public AzuriteFixture Azurite => _azurite;

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        WriteRules();
        var settings = new Dictionary<string, string>
        {
            ["Storage"] = _azurite.ConnectionString,
            ["EventHubConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            ["EventHubName"] = "safety-events",
            ["EventHubConsumerGroup"] = "functions-ingest",
            ["Pseudonymisation:Key"] = "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA=",
            ["Pseudonymisation:KeyId"] = "test-1",
            ["Smtp:Host"] = "localhost",
            ["Smtp:Port"] = "2525",
            ["Smtp:From"] = "safety-alerts@localhost.test",
            ["Webhooks:SigningKey"] = "local-development-only-webhook-signing-key",
            ["Auth:Authority"] = "http://localhost:7071/dev-issuer",
            ["Auth:Audience"] = "api://safety-surveillance-local",
            ["Governance:NationalReviewers"] = "national.reviewer@localhost.test",
            ["SignalRules:Path"] = _rulesPath,
            ["Dashboard:BaseUrl"] = "https://surveillance.example.nhs.uk/dashboard",
        };
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                services.AddSingleton(Authenticator);
            });
        });
        Handler = _app.CreateClient();
        Signals = new SignalTableStore(_azurite.CreateTableServiceClient().GetTableClient(SignalTableStore.TableName));
        Alerts = new AlertStore(_azurite.CreateTableServiceClient().GetTableClient(AlertStore.TableName));
        var base64 = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        GovernanceAlerts = new QueueClient(_azurite.ConnectionString, AlertOutbox.QueueName, base64);
        SignalsTouched = new QueueClient(_azurite.ConnectionString, "signals-touched", base64);
    }

    /// <summary>The default rules file with its procedure's rules repeated under every code of <see cref="Procedures"/>.</summary>
    private void WriteRules()
    {
        var rules = JsonNode.Parse(File.ReadAllText(RepositoryPaths.RequireFile("config", "signal-rules.json")))!.AsObject();
        rules.Remove("$schema");
        var template = rules["procedures"]!.AsArray()[0]!;
        var procedures = new JsonArray();
        foreach (string code in Procedures)
        {
            var copy = template.DeepClone();
            copy["procedureCode"] = code;
            procedures.Add(copy);
        }

        rules["procedures"] = procedures;
        File.WriteAllText(_rulesPath, rules.ToJsonString());
    }

    /// <summary>Empties both queues (they exist: the app creates them at start).</summary>
    public async Task ClearQueuesAsync(CancellationToken cancellationToken)
    {
        await GovernanceAlerts.ClearMessagesAsync(cancellationToken);
        await SignalsTouched.ClearMessagesAsync(cancellationToken);
    }

    /// <summary>Every notification on governance-alerts (left on the queue).</summary>
    public async Task<List<AlertNotification>> NotificationsAsync(CancellationToken cancellationToken)
    {
        PeekedMessage[] messages = (await GovernanceAlerts.PeekMessagesAsync(32, cancellationToken)).Value;
        return [.. messages.Select(m => AlertNotification.FromJson(m.Body.ToString()))];
    }

    /// <summary>Invokes a queue-triggered function as the host does; returns the status and the response envelope.</summary>
    public async Task<(int Status, JsonNode? Envelope)> InvokeQueueAsync(string function, string text, CancellationToken cancellationToken, long dequeueCount = 1)
    {
        var message = new QueueTriggerMessage(text, Guid.NewGuid().ToString(), "pop", dequeueCount, Now, Now.AddDays(7), Now.AddSeconds(30));
        return await PostAsync(function, JsonSerializer.SerializeToNode(message.ToInvocationRequest("message"), CustomHandlerJson.Options)!, cancellationToken);
    }

    /// <summary>Invokes the timer-triggered <c>EvaluateAllSignals</c> as the host does.</summary>
    public async Task<(int Status, JsonNode? Envelope)> InvokeTimerAsync(CancellationToken cancellationToken)
    {
        var info = new TimerTriggerInfo(new TimerTriggerSchedule(), new TimerScheduleStatus(Now.AddMinutes(-5), Now, Now.AddMinutes(-5)), false);
        return await PostAsync("EvaluateAllSignals", JsonSerializer.SerializeToNode(info.ToInvocationRequest("timer"), CustomHandlerJson.Options)!, cancellationToken);
    }

    private async Task<(int, JsonNode?)> PostAsync(string function, JsonNode invocation, CancellationToken cancellationToken)
    {
        using var response = await Handler.PostAsJsonAsync("/" + function, invocation, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        File.Delete(_rulesPath);
    }
}
