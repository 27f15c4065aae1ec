using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Tests.Support;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Dashboard;

/// <summary>The dashboard API tests share one app and one Azurite; each test writes its own procedure code.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardApiCollection : ICollectionFixture<DashboardApiFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "dashboard-api";
}

/// <summary>
/// The function app in-process (WebApplicationFactory; calls go through the custom-handler routes as the Functions host
/// makes them) against a real Azurite. The access seam <see cref="ICallerAuthenticator"/> is an NSubstitute double that
/// reads the bearer value: <c>reviewer</c>, <c>lead:{ODS}</c>, <c>trust-key</c> (a trust system: 403), none (401).
/// The rules are the real <c>config/signal-rules.json</c>, copied under the test procedure codes
/// <see cref="ProcedureCodes"/> so every test has partitions of its own.
/// </summary>
public sealed class DashboardApiFixture : IAsyncLifetime
{
    /// <summary>"Today" for the app.</summary>
    public static readonly DateTimeOffset Now = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Procedure codes with the real rules; one per test.</summary>
    public static readonly IReadOnlyList<string> ProcedureCodes = [.. Enumerable.Range(1, 30).Select(i => $"D{i:00}.1")];

    private readonly AzuriteFixture _azurite = new();
    private WebApplicationFactory<Program>? _app;

    public FakeTimeProvider Time { get; } = new(Now);

    public HttpClient Handler { get; private set; } = null!;

    public ICallerAuthenticator Authenticator { get; } = Substitute.For<ICallerAuthenticator>();

    /// <summary>The rules the app was given (the real file under the test codes).</summary>
    public SignalRuleSet Rules { get; } = LoadTestRules();

    /// <summary>A writer of its own, as the ingest function would be.</summary>
    public SignalTableStore Writer { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Authenticator.AuthenticateAsync(Arg.Any<HttpRequestData>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(Decide(call.Arg<HttpRequestData>())));
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
                services.RemoveAll<ICallerAuthenticator>();
                services.AddSingleton(Authenticator);
                services.RemoveAll<SignalRuleSet>();
                services.AddSingleton(Rules);
            });
        });
        Handler = _app.CreateClient();
        Writer = new SignalTableStore(_azurite.CreateTableServiceClient().GetTableClient(SignalTableStore.TableName));
    }

    /// <summary>Invokes an HTTP-triggered function with a GET and the given query and bearer value.</summary>
    public async Task<ApiAnswer> GetAsync(string function, string route, IReadOnlyDictionary<string, string> query, string? bearer, CancellationToken cancellationToken, string method = "GET")
    {
        var queryJson = new JsonObject();
        foreach (var (name, value) in query)
        {
            queryJson[name] = value;
        }

        var headers = new JsonObject { ["Accept"] = new JsonArray("application/json") };
        if (bearer is not null)
        {
            headers["Authorization"] = new JsonArray($"Bearer {bearer}");
        }

        var request = new JsonObject
        {
            ["Url"] = $"https://func-safety.azurewebsites.net/api/{route}?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")),
            ["Method"] = method,
            ["Query"] = queryJson,
            ["Headers"] = headers,
            ["Params"] = new JsonObject(),
            ["Body"] = null,
        };
        var output = await HttpTriggerInvocation.PostAsync(Handler, function, request, cancellationToken);
        return new ApiAnswer(output.StatusCode, output.Body, output.Body is null ? null : JsonNode.Parse(output.Body), output.Headers);
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    private static Authentication Decide(HttpRequestData request)
    {
        string? header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Authentication.Deny(401, "Sign in first.");
        }

        string token = header["Bearer ".Length..];
        if (token == "reviewer")
        {
            return Authentication.Allow(new Caller("reviewer-1", "Rita Reviewer", CallerRole.Reviewer, null));
        }

        if (token.StartsWith("lead:", StringComparison.Ordinal))
        {
            string ods = token["lead:".Length..];
            return Authentication.Allow(new Caller($"lead-{ods}", $"Lead of {ods}", CallerRole.GovernanceLead, ods));
        }

        return token == "trust-key" ? Authentication.Deny(403, "Trust keys cannot read.") : Authentication.Deny(401, "Invalid token.");
    }

    private static SignalRuleSet LoadTestRules()
    {
        var file = JsonNode.Parse(File.ReadAllText(RepositoryPaths.RequireFile("config", "signal-rules.json")))!.AsObject();
        var original = file["procedures"]!.AsArray()[0]!;
        var procedures = new JsonArray();
        foreach (string code in ProcedureCodes)
        {
            var copy = original.DeepClone().AsObject();
            copy["procedureCode"] = code;
            procedures.Add(copy);
        }

        file["procedures"] = procedures;
        SignalRulesLoadResult result = SignalRulesLoader.Parse(file.ToJsonString());
        return result.Rules ?? throw new InvalidOperationException(string.Join("; ", result.Problems));
    }
}

/// <summary>The HTTP answer inside the invocation response.</summary>
public sealed record ApiAnswer(int StatusCode, string? RawBody, JsonNode? Body, IReadOnlyDictionary<string, string> Headers);
