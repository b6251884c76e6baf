using System.Net;
using System.Text;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Imports.Screens;
using AutomotiveCrm.Web.Campaigns.Exports;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>
/// The export downloads over HTTP against the real app (demo data): a Newstar manager downloads Newstar's campaign
/// files; Pennine's campaign and run answer 404 like missing ones; no sign-in, no download.
/// </summary>
public sealed class CampaignExportEndpointTests(ImportWebFactory app) : IClassFixture<ImportWebFactory>
{
    private const string Manager = "manager@newstar.demo";

    private sealed record Seeded(long Campaign, long Run, long OtherCampaign, long OtherRun, int Members, int MembersWithAddress);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ImportWebFactory, Seeded> SeededBy = [];

    private async Task<Seeded> SeedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (SeededBy.TryGetValue(app, out var seeded))
            {
                return seeded;
            }

            await using var db = app.CreateSystemContext();
            var newstar = await db.DealerGroups.SingleAsync(g => g.Code == "NEWSTAR");
            var pennine = await db.DealerGroups.SingleAsync(g => g.Code == "PENNINE");
            var (campaign, run, members, withAddress) = await CampaignWithRunAsync(db, newstar.NetworkId, newstar.Id, "Spring service: Newstar's \"best\" <customers>");
            var (other, otherRun, _, _) = await CampaignWithRunAsync(db, pennine.NetworkId, pennine.Id, "Pennine private");
            seeded = new Seeded(campaign, run, other, otherRun, members, withAddress);
            SeededBy[app] = seeded;
            return seeded;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(long Campaign, long Run, int Members, int WithAddress)> CampaignWithRunAsync(CrmDbContext db, long networkId, long groupId, string name)
    {
        var campaign = new Campaign
        {
            NetworkId = networkId, DealerGroupId = groupId, OwnerLevel = CampaignOwnerLevel.Group, Name = name,
            AudienceJson = AudienceDefinition.Everyone().ToJson(), TimeZone = "Europe/London", CreatedBy = "test",
        };
        campaign.Contents.Add(new CampaignContent { Channel = CampaignChannelKind.Label, LabelSheet = LabelSheet.A4TwoBySeven });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var run = new CampaignRun { CampaignId = campaign.Id, NetworkId = networkId, DealerGroupId = groupId, Number = 1, StartedBy = "test" };
        db.CampaignRuns.Add(run);
        await db.SaveChangesAsync();
        var customers = await db.Customers.Where(c => c.DealerGroupId == groupId).OrderBy(c => c.Id).Take(20)
            .Select(c => new { c.Id, HasAddress = c.Addresses.Any() }).ToListAsync();
        db.CampaignRunMembers.AddRange(customers.Select((c, i) =>
            new CampaignRunMember { RunId = run.Id, CustomerId = c.Id, DealerGroupId = groupId, HoldOut = i == 0 }));
        await db.SaveChangesAsync();
        var members = customers.Skip(1).ToList();
        return (campaign.Id, run.Id, members.Count, members.Count(c => c.HasAddress));
    }

    [Fact]
    public async Task RunLabelsPdf_Manager_PdfOfTheMembersOnTheCampaignsSheet()
    {
        var seeded = await SeedAsync();
        using var client = await app.SignInAsync(Manager);

        var response = await client.Http.GetAsync(new Uri(CampaignExportEndpoints.RunLabelsPdfUrl(seeded.Run), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"campaign-{seeded.Campaign}-spring-service-newstar-s-best-customers-run-1-labels.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(seeded.MembersWithAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.Headers.GetValues(CampaignExportEndpoints.LabelCountHeader).Single());
        Assert.Equal((seeded.Members - seeded.MembersWithAddress).ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.Headers.GetValues(CampaignExportEndpoints.SkippedHeader).Single());
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Math.Max(1, (seeded.MembersWithAddress + 13) / 14), pdf.NumberOfPages);
    }

    [Fact]
    public async Task RunLabelsCsvAndCallList_Manager_OneRowPerMember()
    {
        var seeded = await SeedAsync();
        using var client = await app.SignInAsync(Manager);

        var csv = await client.Http.GetAsync(new Uri(CampaignExportEndpoints.RunLabelsCsvUrl(seeded.Run), UriKind.Relative));
        var xlsx = await client.Http.GetAsync(new Uri(CampaignExportEndpoints.RunCallListXlsxUrl(seeded.Run), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var records = Rfc4180.Parse(Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync()).AsSpan(3)));
        Assert.Equal(seeded.MembersWithAddress + 1, records.Count);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(CampaignExportEndpoints.XlsxType, xlsx.Content.Headers.ContentType?.MediaType);
        using var workbook = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        Assert.Equal(seeded.Members + 1, workbook.Worksheet(1).LastRowUsed().RowNumber());
    }

    [Fact]
    public async Task CampaignAudienceExports_Manager_AllFourFiles()
    {
        var seeded = await SeedAsync();
        using var client = await app.SignInAsync(Manager);

        foreach (var (url, type) in new[]
        {
            (CampaignExportEndpoints.LabelsPdfUrl(seeded.Campaign) + "?sheet=letter-3x10&margins=10,5,10,5", "application/pdf"),
            (CampaignExportEndpoints.LabelsCsvUrl(seeded.Campaign), "text/csv"),
            (CampaignExportEndpoints.CallListXlsxUrl(seeded.Campaign), CampaignExportEndpoints.XlsxType),
            (CampaignExportEndpoints.CallListPdfUrl(seeded.Campaign), "application/pdf"),
        })
        {
            var response = await client.Http.GetAsync(new Uri(url, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task OtherGroupsOrMissing_Manager_NotFoundAlike()
    {
        var seeded = await SeedAsync();
        using var client = await app.SignInAsync(Manager);

        foreach (var url in new[]
        {
            CampaignExportEndpoints.LabelsPdfUrl(seeded.OtherCampaign), CampaignExportEndpoints.CallListXlsxUrl(seeded.OtherCampaign),
            CampaignExportEndpoints.RunLabelsCsvUrl(seeded.OtherRun), CampaignExportEndpoints.RunCallListPdfUrl(seeded.OtherRun),
            CampaignExportEndpoints.LabelsPdfUrl(987_654_321), CampaignExportEndpoints.RunCallListXlsxUrl(987_654_321),
        })
        {
            var response = await client.Http.GetAsync(new Uri(url, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
            Assert.NotEqual("application/pdf", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task BadSheetOrMargins_Manager_BadRequest()
    {
        var seeded = await SeedAsync();
        using var client = await app.SignInAsync(Manager);

        var sheet = await client.Http.GetAsync(new Uri(CampaignExportEndpoints.LabelsPdfUrl(seeded.Campaign) + "?sheet=A5", UriKind.Relative));
        var margins = await client.Http.GetAsync(new Uri(CampaignExportEndpoints.RunLabelsPdfUrl(seeded.Run) + "?margins=1,2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, sheet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, margins.StatusCode);
    }

    [Fact]
    public async Task Download_NotSignedInOrWithoutExportRight_Refused()
    {
        var seeded = await SeedAsync();
        using var anonymous = app.CreateAccountClient();
        using var sales = await app.SignInAsync("sales@newstar.demo");

        var response = await anonymous.Http.GetAsync(new Uri(CampaignExportEndpoints.RunLabelsPdfUrl(seeded.Run), UriKind.Relative));
        var forbidden = await sales.Http.GetAsync(new Uri(CampaignExportEndpoints.RunCallListXlsxUrl(seeded.Run), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, forbidden.StatusCode);
        Assert.NotEqual("application/pdf", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("/Account/Login", forbidden.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }
}
