using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>
/// The real application on a real Kestrel socket (loopback, free port) with the demo data, and Debian's Chromium
/// driven by Playwright through <c>ExecutablePath</c> (no browser is ever downloaded). One app and one browser are
/// shared by the whole collection: the machines have two cores. Each test opens its own browser context, so
/// cookies never leak between tests.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    public const string CollectionName = "Browser";

    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public BrowserApp()
        : this(new CrmWebFactory { DemoCustomers = 400 })
    {
    }

    /// <summary>An app seeded otherwise (e.g. with the demo's first dedup pass), for a collection of its own.</summary>
    protected BrowserApp(CrmWebFactory factory) => Factory = factory;

    public CrmWebFactory Factory { get; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app's SMTP server: mail the app sends (test sends, campaign runs) lands here, never in the repository's folders.</summary>
    public SmtpSink Mail { get; } = new();

    /// <summary>Screenshots of the main pages, kept as test artifacts (TestResults/screenshots).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(CrmWebFactory.RepositoryRoot(), "TestResults", "screenshots");

    public static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"Chromium was not found at {path}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH; " +
                "the README's test command installs it when run as root.");
    }

    public async Task InitializeAsync()
    {
        Factory.Settings["Email:PickupDirectory"] = "";
        Factory.Settings["Email:Smtp:Host"] = "127.0.0.1";
        Factory.Settings["Email:Smtp:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Factory.Settings["Email:Smtp:UseStartTls"] = "false";
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        Directory.CreateDirectory(ScreenshotFolder);

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ChromiumFlags,
        });
    }

    /// <summary>A fresh browser context (own cookies) with one page, sized like a dealer-desk tablet in landscape.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Waits until the Blazor circuit is interactive: clicks before that are lost.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive='true']").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

    /// <summary>Signs in through the login form as a demo user (the demo password) and waits for the interactive app.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(AutomotiveCrm.Domain.DemoData.DemoUsers.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Clicks an element whose handler navigates, and waits for the address to match. A click that lands while the
    /// circuit is still wiring the page's handlers (a loaded machine) does nothing, so it is repeated a few times
    /// before the wait fails; a handler that never navigates still fails the test.
    /// </summary>
    public static async Task ClickToNavigateAsync(IPage page, ILocator target, Func<string, bool> arrived)
    {
        for (var attempt = 1; ; attempt++)
        {
            await target.ClickAsync();
            try
            {
                await page.WaitForURLAsync(arrived, new PageWaitForURLOptions { Timeout = attempt < 3 ? 5_000 : 20_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // Not navigated yet: click again.
            }
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Factory.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(BrowserApp.CollectionName)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>;
