using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Imports;
using AutomotiveCrm.Web.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Tests.Notifications;

/// <summary>The failure e-mail to the systems team, sent with MailKit to a real SMTP server on loopback.</summary>
public sealed class ImportFailureNotifierTests : IAsyncDisposable
{
    private readonly SmtpSink smtp = new();

    public ValueTask DisposeAsync() => smtp.DisposeAsync();

    private MailDelivery Delivery(string? pickup = null) => new(
        Options.Create(new EmailSettings
        {
            From = "AutomotiveCrm <crm@automotive-crm.test>",
            PickupDirectory = pickup,
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, UseStartTls = false },
        }),
        new TestEnvironment(),
        TimeProvider.System,
        NullLogger<MailDelivery>.Instance);

    private static ImportFile Failed() => new()
    {
        Id = 42,
        OriginalName = "SERV_20261124.csv\r\nBcc: victim@example.com",
        StoredName = "SERV_20261124_20261124021500000.csv",
        Sha256 = new string('a', 64),
        SizeBytes = 123_456,
        Channel = ImportChannel.DropFolder,
        DeliveredBy = "sftp:NSA-01",
        FileType = ImportFileType.ServiceHistory,
        Status = ImportStatus.Failed,
        StatusReason = "Line 3 has 4 columns where the header has 11: the delimiter is probably not ';'.",
        ReceivedAt = new DateTime(2026, 11, 24, 2, 15, 0, DateTimeKind.Utc),
    };

    [Fact]
    public async Task FileFailed_NotifyAddressSet_MailsTheSystemsTeamWithTheReasonAndLink()
    {
        var settings = new ImportScreenSettings { NotifyEmail = "systems@example.com; oncall@example.com", PublicBaseUrl = "https://crm.example.com/" };
        var notifier = new ImportFailureNotifier(Delivery(), Options.Create(settings));

        await notifier.FileFailedAsync(Failed(), "NSA-01", CancellationToken.None);

        var delivery = (await smtp.WaitForAsync(1)).Single();
        Assert.Equal("crm@automotive-crm.test", delivery.MailFrom);
        Assert.Equal(["systems@example.com", "oncall@example.com"], delivery.RcptTo);
        Assert.Equal("Import failed: SERV_20261124.csv  Bcc: victim@example.com (NSA-01, ServiceHistory)", delivery.Message.Subject);
        Assert.Empty(delivery.Message.Bcc);
        var body = delivery.Message.TextBody;
        Assert.Contains("the delimiter is probably not ';'", body, StringComparison.Ordinal);
        Assert.Contains("https://crm.example.com/imports/42", body, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), body, StringComparison.Ordinal);
        Assert.Contains("123,456 bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileFailed_NoNotifyAddress_SendsNothing()
    {
        var notifier = new ImportFailureNotifier(Delivery(), Options.Create(new ImportScreenSettings()));

        await notifier.FileFailedAsync(Failed(), "NSA-01", CancellationToken.None);

        await Assert.ThrowsAsync<TimeoutException>(() => smtp.WaitForAsync(1, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task MailDelivery_PickupDirectory_WritesAnEmlInsteadOfSending()
    {
        var folder = Directory.CreateTempSubdirectory("crm-pickup-").FullName;
        try
        {
            var message = ImportFailureNotifier.Compose(Failed(), "NSA-01", new ImportScreenSettings { NotifyEmail = "systems@example.com" });

            var sent = await Delivery(folder).SendAsync(message, CancellationToken.None);

            Assert.True(sent);
            var eml = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var stored = await MimeKit.MimeMessage.LoadAsync(eml);
            Assert.Contains("NSA-01", stored.Subject, StringComparison.Ordinal);
            await Assert.ThrowsAsync<TimeoutException>(() => smtp.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "AutomotiveCrm.Tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
