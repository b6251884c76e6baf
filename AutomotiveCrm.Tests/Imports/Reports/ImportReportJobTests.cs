using System.Globalization;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Imports.Screens;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Imports;
using AutomotiveCrm.Web.Imports.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Imports.Reports;

/// <summary>
/// The daily report's delivery: the Quartz job on a real scheduler and the mailer, through a real SMTP server on
/// loopback (<see cref="SmtpSink"/>), to a network-wide and a group subscriber.
/// </summary>
public sealed class ImportReportJobTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase database = new();
    private readonly SmtpSink smtp = new();
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        org = await new OrganisationBuilder().SaveAsync(db);
        db.ImportReportSubscriptions.AddRange(
            new ImportReportSubscription { NetworkId = org.Network.Id, Email = "systems@example.com", CreatedAt = DateTime.UtcNow },
            new ImportReportSubscription { NetworkId = org.Network.Id, DealerGroupId = org.Group.Id, Email = "north@example.com", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var yesterday = DateTime.UtcNow.Date.AddDays(-1).AddHours(12);
        await new ImportFileSeed(org.Dealer, org.Network.Id) { ReceivedAt = yesterday, RowsRead = 4321, RowsInserted = 4321 }.SaveAsync(db);
    }

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    public void Dispose() => database.Dispose();

    private IHost Host(string cron)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:From"] = "AutomotiveCrm <reports@automotive-crm.test>",
            // Real SMTP even when a Development settings file names a pickup folder.
            ["Email:PickupDirectory"] = "",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:UseStartTls"] = "false",
            ["Imports:ReportCron"] = cron,
            ["Imports:ReportTimeZone"] = "UTC",
        });
        builder.Services.AddCrmPersistence(_ => database.Settings);
        builder.Services.AddImportScreens();
        return builder.Build();
    }

    private static string PdfText(MimeMessage message)
    {
        var attachment = message.Attachments.OfType<MimePart>().Single();
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var bytes = new MemoryStream();
        attachment.Content!.DecodeTo(bytes);
        using var pdf = PdfDocument.Open(bytes.ToArray());
        return string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    [Fact]
    public async Task ScheduledJob_Fires_EmailsEachSubscriberYesterdaysReportAsPdf()
    {
        using var host = Host("* * * * * ?");

        await host.StartAsync();
        var deliveries = await smtp.WaitForAsync(2, TimeSpan.FromSeconds(30));
        await host.StopAsync();

        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var network = deliveries.First(d => d.RcptTo.Contains("systems@example.com"));
        Assert.Equal("reports@automotive-crm.test", network.MailFrom);
        Assert.StartsWith($"Daily import report {yesterday}: Network", network.Message.Subject, StringComparison.Ordinal);
        Assert.Equal($"import-report-{yesterday}.pdf", network.Message.Attachments.OfType<MimePart>().Single().FileName);
        var text = PdfText(network.Message);
        Assert.Contains(org.OtherGroupDealer.Code, text, StringComparison.Ordinal);
        Assert.Contains("4,321", text, StringComparison.Ordinal);
        Assert.Contains(deliveries, d => d.RcptTo.SequenceEqual(["north@example.com"]));
    }

    [Fact]
    public async Task Mailer_GroupSubscription_ReportListsOnlyThatGroupsDealers()
    {
        using var host = Host("0 0 6 * * ?");
        var mailer = host.Services.GetRequiredService<ImportReportMailer>();

        var run = await mailer.SendAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), CancellationToken.None);
        var deliveries = await smtp.WaitForAsync(2);

        Assert.Equal((2, 2, 0), (run.Reports, run.Messages, run.Failed));
        var group = deliveries.Single(d => d.RcptTo.Contains("north@example.com"));
        Assert.Equal(["north@example.com"], group.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains(org.Group.Name, group.Message.Subject, StringComparison.Ordinal);
        var text = PdfText(group.Message);
        Assert.Contains(org.Dealer.Code, text, StringComparison.Ordinal);
        Assert.Contains(org.SecondDealer.Code, text, StringComparison.Ordinal);
        Assert.DoesNotContain(org.OtherGroupDealer.Code, text, StringComparison.Ordinal);
        Assert.Contains("Files: 1 received", group.Message.TextBody, StringComparison.Ordinal);
    }
}
