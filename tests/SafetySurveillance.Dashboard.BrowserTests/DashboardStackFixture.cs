using Azure.Data.Tables;
using Microsoft.Playwright;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.TestInfrastructure.Stack;
using Xunit;

namespace SafetySurveillance.Dashboard.BrowserTests;

/// <summary>The browser tests share one stack, one data set and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardStackCollection : ICollectionFixture<DashboardStackFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "dashboard-stack";
}

/// <summary>
/// The real local stack (DevHost as a process: Azurite, the Event Hubs emulator, the function app as a custom handler,
/// DevHost's development token issuer) fed by the simulator through the trusts' publisher endpoints until the all-time
/// signal rows equal the ground truth, and Debian's Chromium driven by Playwright. People sign in as a user does:
/// through DevHost's sign-in links, which redirect to the dashboard with the token in the URL fragment.
/// </summary>
public sealed class DashboardStackFixture : IAsyncLifetime
{
    /// <summary>The browser every test uses: Debian's package, so Playwright downloads nothing.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private const string Hub = "safety-events";

    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    private IPlaywright? _playwright;

    public LocalStack Stack { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public SimulationRun Run { get; private set; } = null!;

    /// <summary>The trust with the injected excess of serious device-related events.</summary>
    public string InjectedTrust => Run.Trusts.Single(t => t.HasInjectedExcess).OdsCode;

    /// <summary>Every simulated trust's ODS code.</summary>
    public IReadOnlyList<string> TrustCodes => [.. Run.Trusts.Select(t => t.OdsCode)];

    /// <summary>The dashboard's address.</summary>
    public string DashboardUrl => Stack.Endpoints.Http.TrimEnd('/') + "/api/dashboard/";

    /// <summary>Where screenshots go: {artifacts}/screenshots/dashboard (artifacts = the build's artifacts folder).</summary>
    public static string ScreenshotDirectory { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "screenshots", "dashboard"));

    public async ValueTask InitializeAsync()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/bootstrap.sh (it installs Debian's chromium package).");
        }

        Stack = await LocalStack.StartAsync(ct); // local.settings.sample.json: Auth__Authority is DevHost's /dev-issuer

        // The simulator's injected trust, with its odds ratio raised from the demo's 4 to 8 so that 10,000 events
        // put it clearly (not marginally) beyond the 99.8 % limit.
        Run = new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions
        {
            Seed = 42,
            TrustCount = 20,
            EventCount = 10_000,
            MalformedFraction = 0.01,
            InjectedOddsRatio = 8,
        });
        await using (var transport = EventHubsTransport.Create(Stack.Endpoints.EventHubs, Hub, maxEventsPerBatch: 500))
        {
            foreach (var trust in Run.Events.GroupBy(e => e.TrustOds))
            {
                await transport.SendAsync(trust.Key, trust.ToList(), ct);
            }
        }

        await WaitForAllTimeRowsAsync(ct);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new browser context and page at <paramref name="width"/>×<paramref name="height"/>, failing on any page error or CSP violation.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add("console error: " + message.Text);
            }
        };
        return (context, page, problems);
    }

    /// <summary>A national reviewer's sign-in link (DevHost's development issuer).</summary>
    public string ReviewerSignIn => SignInLink("as=reviewer&name=Rita%20Reviewer");

    /// <summary>A governance lead's sign-in link for <paramref name="trust"/>.</summary>
    public string LeadSignIn(string trust) => SignInLink($"as=governance-lead&trust={trust}");

    /// <summary>Follows a sign-in link (302 to the dashboard with <c>#token=</c>) and waits for <paramref name="view"/>.</summary>
    public async Task SignInAsync(IPage page, string signInLink, string view = "funnel")
    {
        await page.GotoAsync(signInLink);
        Assert.StartsWith(DashboardUrl, page.Url, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("body[data-ready]");
        if (view != "funnel")
        {
            await page.GotoAsync($"{DashboardUrl}#/{view}");
        }

        await page.WaitForSelectorAsync($"body[data-ready='{view}']");
    }

    /// <summary>Saves a full-page screenshot as {name}.png in <see cref="ScreenshotDirectory"/> and attaches it to the test.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(ScreenshotDirectory, name + ".png");
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, png, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

    }

    private string SignInLink(string query) => Stack.Endpoints.Http.TrimEnd('/') + "/dev-issuer/sign-in?" + query;

    private async Task WaitForAllTimeRowsAsync(CancellationToken cancellationToken)
    {
        var pseudonymiser = new Pseudonymiser(new PseudonymisationOptions { KeyId = "truth", Key = Convert.ToBase64String(new byte[32]) });
        var expected = SignalTruth.Build(Run, pseudonymiser).Rows.Where(r => r.PartitionKey.EndsWith("|all", StringComparison.Ordinal)).ToList();
        TableClient signals = Stack.Table("Signals");
        var deadline = DateTime.UtcNow + Settle;
        IReadOnlyList<string> differences = ["not read yet"];
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var rows = new List<(string, string, IDictionary<string, object>)>();
            try
            {
                await foreach (var entity in signals.QueryAsync<TableEntity>(e => e.PartitionKey == expected[0].PartitionKey, cancellationToken: cancellationToken))
                {
                    rows.Add((entity.PartitionKey, entity.RowKey, entity));
                }
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                continue;
            }

            differences = [.. SignalTruth.Compare(expected, rows)];
            if (differences.Count == 0)
            {
                return;
            }
        }

        throw new TimeoutException($"The all-time signal rows did not reach the ground truth: {string.Join("; ", differences.Take(5))}\n{Stack.RecentOutput}");
    }
}
