using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace SafetySurveillance.Dashboard.BrowserTests;

/// <summary>
/// The dashboard in headless Debian Chromium against the real local stack. Screenshots go to
/// <see cref="DashboardStackFixture.ScreenshotDirectory"/> ({artifacts}/screenshots/dashboard) and are attached to the tests.
/// </summary>
[Collection(DashboardStackCollection.Name)]
public sealed class DashboardBrowserTests(DashboardStackFixture stack)
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_reviewer_sees_the_injected_trust_beyond_the_99_8_percent_limit_and_its_figures_from_the_chart()
    {
        var (context, page, problems) = await stack.OpenAsync(1366, 900);
        await using var _ = context;
        string injected = stack.InjectedTrust;

        await stack.SignInAsync(page, stack.ReviewerSignIn);

        string summary = await page.Locator("[data-testid=funnel-summary]").InnerTextAsync();
        Assert.Contains($"Above the 99.8% limit: {injected}", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("#token=", page.Url, StringComparison.Ordinal); // the token left the address bar
        Assert.Contains("Signed in as Rita Reviewer (national safety reviewer)", await page.Locator("#viewer").InnerTextAsync(), StringComparison.Ordinal);
        var row = page.Locator("table tbody tr").Filter(new LocatorFilterOptions { Has = page.Locator("th", new PageLocatorOptions { HasTextRegex = new Regex($"^{injected}$") }) });
        Assert.Equal("above the 99.8% limit", (await row.Locator("td").Last.InnerTextAsync()).Trim());
        Assert.Equal(stack.TrustCodes.Count, await page.Locator("table tbody tr").CountAsync());

        // The chart answers the keyboard: arrow keys walk the trusts and show each one's tooltip and figures.
        var canvas = page.Locator("canvas").First;
        await canvas.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        for (int i = 0; i < stack.TrustCodes.Count && !(await page.Locator("#announcer").InnerTextAsync()).Contains($"Trust {injected}:", StringComparison.Ordinal); i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
            await page.WaitForTimeoutAsync(80);
        }

        string announced = await page.Locator("#announcer").InnerTextAsync();
        Assert.Contains($"Trust {injected}:", announced, StringComparison.Ordinal);
        Assert.Contains("above the 99.8% limit", announced, StringComparison.Ordinal);
        await DashboardStackFixture.ScreenshotAsync(page, "reviewer-funnel-1366");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_reviewer_sees_a_trusts_trend_with_wilson_intervals_and_its_cusum_against_the_threshold()
    {
        var (context, page, problems) = await stack.OpenAsync(1366, 900);
        await using var _ = context;
        string injected = stack.InjectedTrust;

        await stack.SignInAsync(page, stack.ReviewerSignIn);
        await page.GotoAsync($"{stack.DashboardUrl}#/trends?trust={injected}");
        await page.WaitForSelectorAsync("body[data-ready='trends']");

        Assert.Equal(2, await page.Locator("canvas").CountAsync());
        Assert.Contains($"CUSUM for trust {injected}", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches(@"threshold h = \d\.\d\d", await page.Locator("main h3").Last.InnerTextAsync());
        Assert.Equal(injected, await page.Locator("select[name=trust]").InputValueAsync());
        await page.Locator("details summary", new PageLocatorOptions { HasText = "Table of the trend" }).ClickAsync();
        Assert.Contains("95% interval", await page.Locator("main table").First.InnerTextAsync(), StringComparison.Ordinal);
        await DashboardStackFixture.ScreenshotAsync(page, "reviewer-trends-1366");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_governance_lead_of_another_trust_sees_no_other_trusts_figures_in_any_view_at_tablet_width()
    {
        var (context, page, problems) = await stack.OpenAsync(768, 1024);
        await using var _ = context;
        string own = stack.TrustCodes.First(t => t != stack.InjectedTrust);
        var others = stack.TrustCodes.Where(t => t != own).ToList();
        var answers = new List<string>();
        page.Response += async (_, response) =>
        {
            if (response.Url.Contains("/api/", StringComparison.Ordinal) && !response.Url.Contains("/api/dashboard", StringComparison.Ordinal))
            {
                answers.Add(await response.TextAsync());
            }
        };

        await stack.SignInAsync(page, stack.LeadSignIn(own));
        foreach (string view in new[] { "funnel", "trends", "completeness" })
        {
            if (view != "funnel")
            {
                await page.GotoAsync($"{stack.DashboardUrl}#/{view}");
                await page.WaitForSelectorAsync($"body[data-ready='{view}']");
            }

            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => { d.open = true; })"); // every table shown

            string text = await page.Locator("body").InnerTextAsync();
            Assert.Contains(own, text, StringComparison.Ordinal);
            Assert.Contains("Other trusts are not shown to governance leads", text, StringComparison.Ordinal);
            foreach (string other in others)
            {
                Assert.DoesNotMatch($@"\b{other}\b", text);
            }

            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{view} scrolls sideways at 768 px");
            await DashboardStackFixture.ScreenshotAsync(page, $"lead-{view}-768");
        }

        Assert.NotEmpty(answers);
        foreach (string answer in answers)
        {
            foreach (string other in others)
            {
                Assert.DoesNotMatch($@"\b{other}\b", answer);
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_view_can_be_reached_and_read_with_the_keyboard_alone()
    {
        var (context, page, problems) = await stack.OpenAsync(1366, 900);
        await using var _ = context;
        await stack.SignInAsync(page, stack.ReviewerSignIn);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        string[] expected = ["Sign out", "Funnel plot", "Trends and CUSUM", "Alerts", "Audit completeness"];
        foreach (string name in expected)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal(name, (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).Trim());
        }

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("body[data-ready='completeness']");
        Assert.Equal("page", await page.Locator("nav a[data-view=completeness]").GetAttributeAsync("aria-current"));
        Assert.Equal("H2:Audit completeness", await page.EvaluateAsync<string>("() => document.activeElement.tagName + ':' + document.activeElement.textContent")); // focus moved to the new view's heading
        Assert.Equal(stack.TrustCodes.Count + 1, await page.Locator("main table tbody tr").CountAsync());
        Assert.Equal("MDT selection", await page.Locator("main table thead th").Nth(2).InnerTextAsync());

        // Every form control has a label, every chart a text alternative.
        await page.GotoAsync($"{stack.DashboardUrl}#/funnel");
        await page.WaitForSelectorAsync("body[data-ready='funnel']");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('select, input')].filter(c => !c.closest('label') && !c.labels?.length).length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => c.getAttribute('role') !== 'img' || !c.getAttribute('aria-label')).length"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_reviewer_acknowledges_an_alert_and_sees_its_status_change()
    {
        var (context, page, problems) = await stack.OpenAsync(1366, 900);
        await using var _ = context;
        await stack.SignInAsync(page, stack.ReviewerSignIn, "alerts");

        // Alerts are raised by EvaluateSignals after ingestion: reload until one can be acknowledged.
        var deadline = DateTime.UtcNow + AlertWait;
        var button = page.Locator("li.alert[data-status=open] button[data-action=acknowledge]");
        while (await button.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await page.WaitForTimeoutAsync(3000);
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("body[data-ready='alerts']");
        }

        Assert.True(await button.CountAsync() > 0, "No open alert with an Acknowledge button appeared: " + await page.Locator("main").InnerTextAsync());
        var alert = page.Locator("li.alert[data-status=open]").Filter(new LocatorFilterOptions { Has = page.Locator("button[data-action=acknowledge]") }).First;
        string id = (await alert.GetAttributeAsync("id"))!;
        Assert.NotEmpty(await alert.Locator("dl").AllAsync()); // its evidence
        await DashboardStackFixture.ScreenshotAsync(page, "reviewer-alerts-before");

        await alert.Locator("button[data-action=acknowledge]").ClickAsync();

        var after = page.Locator($"li.alert[id=\"{id}\"]"); // alert ids hold '|', ':' and '.'; an attribute selector needs no escaping
        await Assertions.Expect(after).ToHaveAttributeAsync("data-status", "acknowledged", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        Assert.Equal("acknowledged", (await after.Locator("[data-testid=alert-status]").InnerTextAsync()).Trim());
        Assert.Equal(0, await after.Locator("button[data-action=acknowledge]").CountAsync());
        await DashboardStackFixture.ScreenshotAsync(page, "reviewer-alerts-after");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
