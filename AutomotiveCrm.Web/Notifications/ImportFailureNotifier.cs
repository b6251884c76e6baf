using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Web.Imports;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AutomotiveCrm.Web.Notifications;

/// <summary>
/// E-mails the systems team (<c>Imports:NotifyEmail</c>) when a file fails or is refused. The pipeline records the
/// in-app notification itself and calls this afterwards; without an address configured it does nothing.
/// </summary>
public sealed class ImportFailureNotifier(IMailDelivery mail, IOptions<ImportScreenSettings> options) : IImportNotifier
{
    public async Task FileFailedAsync(ImportFile file, string dealerCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.NotifyEmail))
        {
            return;
        }

        var message = Compose(file, dealerCode, settings);
        await mail.SendAsync(message, cancellationToken);
    }

    public static MimeMessage Compose(ImportFile file, string dealerCode, ImportScreenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(settings);
        var message = new MimeMessage();
        foreach (var address in (settings.NotifyEmail ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        var outcome = file.Status == ImportStatus.Refused ? "refused" : "failed";
        // File names and reasons come from outside: one line each, no control characters (the header is encoded by MimeKit).
        message.Subject = OneLine($"Import {outcome}: {file.OriginalName} ({dealerCode}, {file.FileType})", 200);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"An import file {outcome}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Dealer:       {OneLine(dealerCode, 40)}")
            .AppendLine(CultureInfo.InvariantCulture, $"File type:    {file.FileType}")
            .AppendLine(CultureInfo.InvariantCulture, $"File:         {OneLine(file.OriginalName, 260)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Stored as:    {OneLine(file.StoredName, 300)}")
            .AppendLine(CultureInfo.InvariantCulture, $"SHA-256:      {file.Sha256}")
            .AppendLine(CultureInfo.InvariantCulture, $"Size:         {file.SizeBytes:N0} bytes")
            .AppendLine(CultureInfo.InvariantCulture, $"Received:     {file.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC via {file.Channel}, delivered by {OneLine(file.DeliveredBy, 260)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Status:       {file.Status}")
            .AppendLine()
            .AppendLine("Reason:")
            .AppendLine(file.StatusReason ?? "(none recorded)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Details: {settings.Link($"/imports/{file.Id}")}")
            .AppendLine()
            .AppendLine("AutomotiveCrm");
        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }

    private static string OneLine(string? text, int max)
    {
        var clean = new string((text ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length <= max ? clean : clean[..(max - 1)] + "…";
    }
}
