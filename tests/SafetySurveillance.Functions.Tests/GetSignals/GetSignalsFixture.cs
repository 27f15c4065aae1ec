using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.Functions.Tests.Access;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure.Azurite;
using SafetySurveillance.Functions.Tests.Support;
using Xunit;

namespace SafetySurveillance.Functions.Tests.GetSignals;

/// <summary>
/// The function app in-process (WebApplicationFactory: calls go through the custom-handler route exactly as the Functions
/// host makes them) against a real Azurite. Rows are written with a separate <see cref="SignalTableStore"/>, as the
/// ingest function would. Tests use their own procedure codes, so they share the Signals table. Requests carry a
/// reviewer's bearer token from a real loopback issuer (<see cref="TestTokenIssuer"/>); the access rules themselves are
/// tested in Access/.
/// </summary>
public sealed class GetSignalsFixture : IAsyncLifetime
{
    /// <summary>"Today" for the app: 12-month follow-up of early-2026 procedures is due.</summary>
    public static readonly DateTimeOffset Now = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite = new();
    private WebApplicationFactory<Program>? _app;
    private TestTokenIssuer? _issuer;

    public FakeTimeProvider Time { get; } = new(Now);

    public HttpClient Handler { get; private set; } = null!;

    /// <summary>A writer of its own (as another process would be), on the table the app reads.</summary>
    public SignalTableStore Writer { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _issuer = await TestTokenIssuer.StartAsync(Time, TestContext.Current.CancellationToken);
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
            ["Auth:Authority"] = _issuer.Authority,
            ["Auth:Audience"] = TestTokenIssuer.Audience,
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
    }

    /// <summary>Invokes <c>GetSignals</c> as the Functions host does: <c>POST /GetSignals</c> with the request in <c>Data.req</c>.</summary>
    public async Task<SignalsAnswer> GetAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken, string method = "GET")
    {
        var queryJson = new JsonObject();
        foreach (var (name, value) in query)
        {
            queryJson[name] = value;
        }

        var request = new JsonObject
        {
            ["Url"] = "https://func-safety.azurewebsites.net/api/signals?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")),
            ["Method"] = method,
            ["Query"] = queryJson,
            ["Headers"] = new JsonObject { ["Accept"] = new JsonArray("application/json"), ["Authorization"] = new JsonArray("Bearer " + _issuer!.Reviewer()) },
            ["Params"] = new JsonObject(),
            ["Body"] = null,
        };

        var output = await HttpTriggerInvocation.PostAsync(Handler, "GetSignals", request, cancellationToken);
        return new SignalsAnswer(
            output.StatusCode,
            output.Body,
            output.Body is null ? null : JsonNode.Parse(output.Body),
            output.Headers.GetValueOrDefault("Content-Type"),
            output.Logs);
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }
    }
}

/// <summary>The HTTP answer inside the invocation response.</summary>
public sealed record SignalsAnswer(int StatusCode, string? RawBody, JsonNode? Body, string? ContentType, IReadOnlyList<string> Logs);
