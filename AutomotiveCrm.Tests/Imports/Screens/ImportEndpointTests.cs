using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Tests.Identity;
using AutomotiveCrm.Web.Imports;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>
/// The import endpoints over HTTP against the real app: signed in as a group manager of Newstar Auto (demo data),
/// with files of Newstar's and Pennine's dealers written into the file audit directly.
/// </summary>
public sealed partial class ImportEndpointTests(ImportWebFactory app) : IClassFixture<ImportWebFactory>
{
    private const string Manager = "manager@newstar.demo";

    private async Task<(Dealer Dealer, long NetworkId)> DealerAsync(string code)
    {
        await using var db = app.CreateSystemContext();
        var dealer = await db.Dealers.AsNoTracking().Include(d => d.DealerGroup).SingleAsync(d => d.Code == code);
        return (dealer, dealer.DealerGroup!.NetworkId);
    }

    private async Task<ImportFile> SeedAsync(string dealerCode, string name, params ImportReject[] rejects)
    {
        var (dealer, network) = await DealerAsync(dealerCode);
        await using var db = app.CreateSystemContext();
        return await new ImportFileSeed(dealer, network) { OriginalName = name, RowsRead = 5, RowsRejected = rejects.Length }.SaveAsync(db, rejects);
    }

    private static MultipartFormDataContent Upload(string dealer, string type, byte[] content, string fileName)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(dealer), "dealer" },
            { new StringContent(type), "type" },
            { new StringContent(""), "profile" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    private static async Task<HttpResponseMessage> PostAsync(AccountClient client, HttpContent content, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/imports/upload", UriKind.Relative)) { Content = content };
        if (token is not null)
        {
            request.Headers.Add(ImportEndpoints.AntiforgeryHeader, token);
        }

        return await client.Http.SendAsync(request);
    }

    private async Task<int> FileCountAsync(string originalName)
    {
        await using var db = app.CreateSystemContext();
        return await db.ImportFiles.CountAsync(f => f.OriginalName == originalName);
    }

    /// <summary>The page without the parts that differ per request (antiforgery tokens, Blazor's component markers, generated element ids).</summary>
    /// <summary>
    /// The page without what differs on every render: antiforgery tokens, Blazor markers, GUIDs, MudBlazor's generated
    /// element ids and the random ids expanded navigation groups use to tie a header to its panel.
    /// </summary>
    private static string Normalised(string html)
    {
        foreach (Match control in AriaControls().Matches(html))
        {
            html = html.Replace($"\"{control.Groups[1].Value}\"", "\"\"", StringComparison.Ordinal);
        }

        return VaryingParts().Replace(html, "");
    }

    [GeneratedRegex("aria-controls=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex AriaControls();

    [Fact]
    public async Task RejectsCsv_HostileCells_NeutralisedQuotedWithBom()
    {
        var file = await SeedAsync("NSA-01", "CUST_rejects.csv",
            new ImportReject { LineNumber = 2, Column = "@col", Reason = "+bad value", RawText = "=1+1,\"x\"\nsecond line" },
            new ImportReject { LineNumber = 3, Column = "email", Reason = "Not an e-mail address.", RawText = "-5;\tTAB;Smith" });
        using var client = await app.SignInAsync(Manager);

        var response = await client.Http.GetAsync(new Uri($"/imports/{file.Id}/rejects.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"import-{file.Id}-rejects.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        Assert.Equal(
            "Line,Column,Reason,Raw text\r\n" +
            "2,'@col,'+bad value,\"'=1+1,\"\"x\"\"\nsecond line\"\r\n" +
            "3,email,Not an e-mail address.,'-5;\tTAB;Smith\r\n",
            text);
    }

    [Fact]
    public async Task Endpoints_OtherGroupsFile_AnswerExactlyLikeAMissingOne()
    {
        var foreign = await SeedAsync("PMG-01", "PENNINE_secret.csv", new ImportReject { LineNumber = 2, Reason = "x", RawText = "Pennine raw row" });
        using var client = await app.SignInAsync(Manager);

        foreach (var suffix in new[] { "", "/original", "/rejects.csv", "/duplicates.csv" })
        {
            var (other, otherBody) = await client.GetAsync($"/imports/{foreign.Id}{suffix}");
            var (missing, missingBody) = await client.GetAsync($"/imports/987654321{suffix}");

            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (other.StatusCode, missing.StatusCode));
            Assert.Equal(Normalised(missingBody), Normalised(otherBody));
            Assert.DoesNotContain("Pennine raw row", otherBody, StringComparison.Ordinal);
            Assert.DoesNotContain("PENNINE_secret", otherBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Upload_WithoutOrWithAWrongAntiforgeryToken_RefusedAndNothingRecorded()
    {
        using var client = await app.SignInAsync(Manager);
        var body = Encoding.UTF8.GetBytes("customer_id,last_name\nC1,Smith\n");

        using var none = await PostAsync(client, Upload("NSA-01", "Customers", body, "CUST_no_token.csv"), token: null);
        using var wrong = await PostAsync(client, Upload("NSA-01", "Customers", body, "CUST_no_token.csv"), token: "CfDJ8-not-a-token");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (none.StatusCode, wrong.StatusCode));
        Assert.Contains("antiforgery", await none.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await FileCountAsync("CUST_no_token.csv"));
    }

    [Fact]
    public async Task Upload_SignedOutOrWithoutManageImports_Refused()
    {
        using var anonymous = app.CreateAccountClient();
        using var sales = await app.SignInAsync("sales@newstar.demo");
        var token = await ImportWebFactory.AntiforgeryTokenAsync(sales, "/");
        var body = Encoding.UTF8.GetBytes("customer_id,last_name\nC1,Smith\n");

        using var signedOut = await PostAsync(anonymous, Upload("NSA-01", "Customers", body, "CUST_refused.csv"), token: null);
        using var forbidden = await PostAsync(sales, Upload("NSA-01", "Customers", body, "CUST_refused.csv"), token);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/Account/Login", signedOut.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
        Assert.Contains("/Account/AccessDenied", forbidden.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await FileCountAsync("CUST_refused.csv"));
    }

    [Fact]
    public async Task Upload_AnotherGroupsDealer_NotFoundAndNothingRecorded()
    {
        using var client = await app.SignInAsync(Manager);
        var token = await ImportWebFactory.AntiforgeryTokenAsync(client);

        using var response = await PostAsync(client, Upload("PMG-01", "Customers", Encoding.UTF8.GetBytes("a,b\n1,2\n"), "CUST_foreign.csv"), token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await FileCountAsync("CUST_foreign.csv"));
    }

    [Fact]
    public async Task Upload_File_StreamedIntoTheIntakeAndDownloadableAsTheOriginal()
    {
        using var client = await app.SignInAsync(Manager);
        var token = await ImportWebFactory.AntiforgeryTokenAsync(client);
        var csv = new StringBuilder("customer_id,first_name,last_name,email\r\n");
        for (var i = 0; i < 60_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"U{i:D6},Upload,Tester{i},u{i}@example.com\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var name = $"CUST_upload_{Guid.NewGuid():N}.csv";

        using var response = await PostAsync(client, Upload("NSA-01", "Customers", bytes, name), token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<ImportUploadResult>();
        Assert.Equal($"/imports/{result!.Id}", result.Location);
        await using (var db = app.CreateSystemContext())
        {
            var file = await db.ImportFiles.Include(f => f.Dealer).SingleAsync(f => f.Id == result.Id);
            Assert.Equal((name, "NSA-01", ImportFileType.Customers, ImportChannel.Upload, Manager, (long)bytes.Length),
                (file.OriginalName, file.Dealer!.Code, file.FileType, file.Channel, file.DeliveredBy, file.SizeBytes));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        }

        var original = await client.Http.GetAsync(new Uri($"/imports/{result.Id}/original", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(bytes, await original.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ReportPdf_GroupManager_OwnGroupsDealersOnly()
    {
        var day = new DateOnly(2026, 11, 24);
        await SeedAsync("NSA-02", "CUST_report.csv");
        await SeedAsync("PMG-02", "CUST_report_pennine.csv");
        using var client = await app.SignInAsync(Manager);

        var response = await client.Http.GetAsync(new Uri($"/imports/report.pdf?date={day:yyyy-MM-dd}", UriKind.Relative));
        var bad = await client.Http.GetAsync(new Uri("/imports/report.pdf?date=24.11.2026", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        Assert.Contains("NSA-01", text, StringComparison.Ordinal);
        Assert.Contains("NSA-02", text, StringComparison.Ordinal);
        Assert.Contains("Newstar Auto", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PMG-", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"|<!--Blazor[^>]*-->|blazor:[a-zA-Z]+=\"[^\"]*\"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|id=\"mud[a-z0-9]+\"")]
    private static partial Regex VaryingParts();
}
