using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.Tests.Support;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Access;

/// <summary>
/// The whole function app in-process (calls go through the custom-handler routes as the Functions host makes them)
/// against a real Azurite, with <c>Auth:Authority</c> pointing at a real loopback token issuer
/// (<see cref="TestTokenIssuer"/>): nothing in the access path is substituted.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    /// <summary>"Today" for the app and the issuer.</summary>
    public static readonly DateTimeOffset Now = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite = new();
    private WebApplicationFactory<Program>? _app;

    /// <summary>The clock of the app and the issuer.</summary>
    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>The issuer the app trusts.</summary>
    public TestTokenIssuer Issuer { get; private set; } = null!;

    /// <summary>The handler (the app's custom-handler port).</summary>
    public HttpClient Handler { get; private set; } = null!;

    /// <summary>A writer of its own, on the table the app reads.</summary>
    public SignalTableStore Writer { get; private set; } = null!;

    /// <summary>The alerts table the alert functions read.</summary>
    public AlertStore Alerts { get; private set; } = null!;

    /// <summary>The claim name the app reads a governance lead's trust from (set to a non-default name here).</summary>
    public const string TrustClaim = "extension_0a1b2c3d_trustOds";

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Issuer = await TestTokenIssuer.StartAsync(Time, TestContext.Current.CancellationToken);
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
            ["Auth:Authority"] = Issuer.Authority,
            ["Auth:Audience"] = TestTokenIssuer.Audience,
            ["Auth:TrustClaim"] = TrustClaim,
            ["Governance:NationalReviewers"] = "national.reviewer@localhost.test",
        };
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        });
        Handler = _app.CreateClient();
        Writer = new SignalTableStore(_azurite.CreateTableServiceClient().GetTableClient(SignalTableStore.TableName));
        Alerts = new AlertStore(_azurite.CreateTableServiceClient().GetTableClient(AlertStore.TableName));
        await Alerts.CreateTableIfNotExistsAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A valid governance-lead token for <paramref name="trust"/>, with the trust in the configured claim.</summary>
    public string Lead(string trust) => Issuer.Mint(new TokenSpec
    {
        Subject = "lead-" + trust,
        Name = "Lead of " + trust,
        Roles = [Functions.Access.AccessClaims.GovernanceLeadRole],
        Trust = trust,
        TrustClaim = TrustClaim,
    });

    /// <summary>Invokes an HTTP-triggered function as the Functions host does, with the headers (and route values, body) given.</summary>
    public Task<HttpOutput> InvokeAsync(string function, string route, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken, string method = "GET", IReadOnlyDictionary<string, string>? routeValues = null, string? body = null)
    {
        var paramsJson = new JsonObject();
        foreach (var (name, value) in routeValues ?? new Dictionary<string, string>())
        {
            paramsJson[name] = value;
        }

        var queryJson = new JsonObject();
        foreach (var (name, value) in query)
        {
            queryJson[name] = value;
        }

        var headersJson = new JsonObject { ["Accept"] = new JsonArray("application/json") };
        foreach (var (name, value) in headers)
        {
            headersJson[name] = new JsonArray(value);
        }

        var request = new JsonObject
        {
            ["Url"] = $"https://func-safety.azurewebsites.net/api/{route}?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")),
            ["Method"] = method,
            ["Query"] = queryJson,
            ["Headers"] = headersJson,
            ["Params"] = paramsJson,
            ["Body"] = body,
        };
        return HttpTriggerInvocation.PostAsync(Handler, function, request, cancellationToken);
    }

    /// <summary>Writes <paramref name="procedures"/> procedures (and <paramref name="seriousRelated"/> serious related events) per trust in one month.</summary>
    public async Task WriteAsync(string procedure, DateOnly date, IReadOnlyDictionary<string, (int Procedures, int SeriousRelated, int Deaths)> trusts, string? device, CancellationToken cancellationToken)
    {
        var pairs = new List<(SignalKey, SequencedContribution)>();
        long sequence = 0;
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];
        void Add(string trust, SignalContribution contribution)
        {
            int count = SignalKey.WriteTouched(keys, procedure, date, trust, device);
            var sequenced = new SequencedContribution(sequence++, contribution);
            foreach (SignalKey key in keys.AsSpan(0, count))
            {
                pairs.Add((key, sequenced));
            }
        }

        foreach (var (trust, (procedures, seriousRelated, deaths)) in trusts)
        {
            for (int i = 0; i < procedures; i++)
            {
                Add(trust, new ProcedureContribution(date, ProcedureFacts.FirstForPatient));
            }

            var serious = AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated;
            for (int i = 0; i < seriousRelated; i++)
            {
                Add(trust, new AdverseEventContribution(serious | (i < deaths ? AdverseEventFacts.Death : 0), []));
            }
        }

        await Writer.ApplyAsync("0", pairs, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Issuer.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
