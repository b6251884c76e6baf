using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>A group manager uploads a DMS sample file in a real browser and follows it to its completed counts.</summary>
[Collection(BrowserApp.CollectionName)]
public sealed class ImportJourneyTests(BrowserApp app)
{
    private const string DealerCode = "NSA-03";

    [Fact]
    public async Task GroupManager_UploadsSampleFile_SeesProgressThenCompletedCounts()
    {
        string provider;
        await using (var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext())
        {
            provider = await db.Dealers.Where(d => d.Code == DealerCode).Select(d => d.DmsProvider!).SingleAsync();
        }

        var sample = ImportSamples.For(provider, ImportFileType.Customers);
        byte[] content;
        await using (var stream = ImportSamples.Open(sample))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer);
            content = buffer.ToArray();
        }

        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "manager@newstar.demo");
        await page.GotoAsync("/imports");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=toggle-upload]").ClickAsync();
        await page.Locator("[data-testid=upload-panel]").WaitForAsync();

        await page.Locator("[data-testid=upload-dealer]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(DealerCode, new LocatorGetByTextOptions { Exact = false }).First.ClickAsync();
        await page.Locator("[data-testid=upload-file]").SetInputFilesAsync(new FilePayload { Name = sample.FileName, MimeType = "text/csv", Buffer = content });
        await page.Locator("[data-testid=upload-start]:not([disabled])").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "20-import-upload");
        // The progress bar may be on screen for a moment only (a small file): a DOM observer records that it was shown.
        await page.EvaluateAsync("""
            () => {
                window.__uploadProgressSeen = false;
                new MutationObserver(() => {
                    if (document.querySelector("[data-testid=upload-progress]")) { window.__uploadProgressSeen = true; }
                }).observe(document.body, { childList: true, subtree: true });
            }
            """);

        await page.Locator("[data-testid=upload-start]").ClickAsync();

        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(new Uri(url).AbsolutePath, "^/imports/[0-9]+$"),
            new PageWaitForURLOptions { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__uploadProgressSeen"), "The upload progress was never shown.");
        var id = long.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("[data-testid=status-chip][data-status=Completed]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await page.Locator("[data-count=Read]", new PageLocatorOptions { HasText = sample.DataRows.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "21-import-completed");

        Assert.Equal(sample.FileName, (await page.Locator("[data-testid=file-name]").InnerTextAsync()).Trim());
        await using var check = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var file = await check.ImportFiles.SingleAsync(f => f.Id == id);
        Assert.Equal((ImportStatus.Completed, ImportChannel.Upload, "manager@newstar.demo", (long)sample.DataRows, (long)content.Length),
            (file.Status, file.Channel, file.DeliveredBy, file.RowsRead, file.SizeBytes));
        Assert.True(file.RowsInserted + file.RowsUpdated + file.RowsUnchanged > 0);
        var inserted = (await page.Locator("[data-count=Inserted]").InnerTextAsync()).Trim();
        Assert.Equal(file.RowsInserted.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), inserted);
    }
}
