using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.DispatchGovernanceAlerts;
using SafetySurveillance.LocalServices.Maildev;
using SafetySurveillance.Storage.Deliveries;
using SafetySurveillance.Storage.Trusts;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Functions.Tests.DispatchGovernanceAlerts;

/// <summary>
/// Real services for delivery tests: Azurite (Trusts and AlertDeliveries tables), a real maildev started by
/// <see cref="MaildevInstance"/>, and a real loopback webhook receiver. The function app runs in-process and is called
/// as the Functions host calls it (<c>POST /DispatchGovernanceAlerts</c> with a queue trigger payload). Tests share
/// maildev and the national recipients, so each uses its own procedure code and trust, and filters by alert id.
/// </summary>
public sealed class DispatchFixture : IAsyncLifetime
{
    public const string From = "safety-alerts@alerts.test";
    public const string DashboardBase = "https://surveillance.example.test/api/dashboard/";
    public static readonly string[] NationalReviewers = ["national.one@reviewers.test", "national.two@reviewers.test"];

    /// <summary>The HMAC key, known to the test independently of the app's signer.</summary>
    public static readonly byte[] SigningKeyBytes = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];

    /// <summary>Short back-off so a failing webhook costs milliseconds.</summary>
    public static readonly WebhookRetryPolicy FastRetries = new()
    {
        MaxAttempts = 3,
        FirstDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        TotalBudget = TimeSpan.FromSeconds(20),
    };

    private readonly AzuriteFixture _azurite = new();
    private readonly List<DispatchApp> _apps = [];

    public MaildevInstance Maildev { get; private set; } = null!;

    public MaildevClient Mail { get; private set; } = null!;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    public DispatchApp App { get; private set; } = null!;

    public static string SigningKey => "whsec_" + Convert.ToBase64String(SigningKeyBytes);

    public Uri NationalWebhook => Webhooks.UrlFor("national");

    public TableClient Deliveries => _azurite.CreateTableServiceClient().GetTableClient(AlertDeliveryStore.TableName);

    public AlertDeliveryStore DeliveryStore => new(Deliveries);

    public TrustDirectory Trusts => App.Services.GetRequiredService<TrustDirectory>();

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Maildev = await MaildevInstance.StartAsync(new MaildevOptions { NodeModulesDirectory = RepositoryPaths.NodeModules }, TestContext.Current.CancellationToken);
        Mail = Maildev.CreateClient();
        Webhooks = await WebhookReceiver.StartAsync();
        App = CreateApp();
    }

    /// <summary>An app on the shared services; <paramref name="overrides"/> replace settings (e.g. a dead SMTP port).</summary>
    public DispatchApp CreateApp(IReadOnlyDictionary<string, string>? overrides = null, WebhookRetryPolicy? retries = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage"] = _azurite.ConnectionString,
            ["EventHubConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            ["EventHubName"] = "safety-events",
            ["EventHubConsumerGroup"] = "functions-ingest",
            ["Pseudonymisation:Key"] = "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA=",
            ["Pseudonymisation:KeyId"] = "test-1",
            ["Smtp:Host"] = MaildevInstance.Host,
            ["Smtp:Port"] = Maildev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = From,
            ["Webhooks:SigningKey"] = SigningKey,
            ["Webhooks:NationalUrl"] = NationalWebhook.AbsoluteUri,
            ["Auth:Authority"] = "http://localhost:7071/dev-issuer",
            ["Auth:Audience"] = "api://safety-surveillance-local",
            ["Governance:NationalReviewers"] = string.Join(';', NationalReviewers),
            ["Dashboard:BaseUrl"] = DashboardBase,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.RemoveAll<WebhookRetryPolicy>();
                services.AddSingleton(retries ?? FastRetries);
            });
        });
        var app = new DispatchApp(factory);
        _apps.Add(app);
        return app;
    }

    /// <summary>Registers a trust with its own contacts and (optionally) webhook.</summary>
    public async Task RegisterTrustAsync(string ods, IReadOnlyList<string> contacts, Uri? webhook, CancellationToken cancellationToken) =>
        await Trusts.RegisterAsync(new TrustDetails(ods, $"Trust {ods}", contacts, webhook), cancellationToken: cancellationToken);

    /// <summary>The e-mails maildev holds for one alert (by the X-Safety-Alert-Id header).</summary>
    public async Task<IReadOnlyList<MaildevEmail>> EmailsForAsync(string alertId, CancellationToken cancellationToken) =>
        (await Mail.ListEmailsAsync(cancellationToken)).Where(e => e.Header("x-safety-alert-id") == alertId).ToList();

    /// <summary>A trust-scoped alarm for procedure <paramref name="procedure"/> at trust <paramref name="ods"/>.</summary>
    public static AlertNotification TrustAlarm(string procedure, string ods, int send = 1) => new(
        AlertId.For(procedure, SignalPeriod.Month(2026, 3), "death-sentinel", SignalScope.Trust(ods)).Value,
        send,
        send == 1 ? AlertDecisionKind.Raise : AlertDecisionKind.Escalate,
        "death-sentinel",
        "sentinel",
        procedure,
        SignalScope.Trust(ods).ToKey(),
        ods,
        "2026-03",
        Severity.Alarm,
        new Evidence(3, 40, Rate: 0.075, IntervalLower: 0.0258, IntervalUpper: 0.1989, Confidence: 0.95, Benchmark: 0.039),
        $"3 deaths after {procedure} at trust {ods} in 2026-03: every death is reviewed.",
        new DateTimeOffset(2026, 3, 20, 9, 30, 0, TimeSpan.Zero));

    /// <summary>A national warning (no trust).</summary>
    public static AlertNotification NationalWarning(string procedure) => new(
        AlertId.For(procedure, SignalPeriod.Quarter(2026, 1), "serious-rate", SignalScope.National).Value,
        1,
        AlertDecisionKind.Raise,
        "serious-rate",
        "rate",
        procedure,
        SignalScope.National.ToKey(),
        null,
        "2026-Q1",
        Severity.Warning,
        new Evidence(12, 150, Rate: 0.08, IntervalLower: 0.046, IntervalUpper: 0.135, Confidence: 0.95, Benchmark: 0.039),
        $"The national rate of serious events after {procedure} is above the 3.9% benchmark.",
        new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Mail?.Dispose();
        if (Webhooks is not null)
        {
            await Webhooks.DisposeAsync();
        }

        if (Maildev is not null)
        {
            await Maildev.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

/// <summary>The in-process function app, invoked as the Functions host invokes a queue trigger.</summary>
public sealed class DispatchApp(WebApplicationFactory<Program> factory) : IAsyncDisposable
{
    private readonly HttpClient _handler = factory.CreateClient();

    public IServiceProvider Services => factory.Services;

    /// <summary>Posts one queue message (the text as the host passes it) and returns the status and log lines.</summary>
    public async Task<DispatchAnswer> InvokeAsync(string messageText, CancellationToken cancellationToken, long dequeueCount = 1)
    {
        var now = DateTimeOffset.UtcNow;
        var message = new QueueTriggerMessage(messageText, Guid.NewGuid().ToString(), "pop-" + dequeueCount, dequeueCount, now, now.AddDays(7), now.AddSeconds(30));
        using var response = await _handler.PostAsJsonAsync("/" + DispatchGovernanceAlertsFunction.Name, message.ToInvocationRequest(DispatchGovernanceAlertsFunction.BindingName), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var logs = JsonNode.Parse(text)?["Logs"]?.AsArray().Select(l => (string)l!).ToList() ?? [];
        return new DispatchAnswer((int)response.StatusCode, logs, text);
    }

    public Task<DispatchAnswer> InvokeAsync(AlertNotification notification, CancellationToken cancellationToken, long dequeueCount = 1) =>
        InvokeAsync(notification.ToJson(), cancellationToken, dequeueCount);

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        await factory.DisposeAsync();
    }
}

/// <summary>What the handler answered.</summary>
public sealed record DispatchAnswer(int StatusCode, IReadOnlyList<string> Logs, string Raw);
