using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Campaigns.Editing;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>The e-mail design of a campaign as the editor binds to it.</summary>
public sealed class EmailContentDraft
{
    public long CampaignId { get; set; }
    public string CampaignName { get; set; } = "";
    public CampaignOwnerLevel OwnerLevel { get; set; }
    /// <summary>The campaign version the editor loaded: a save against a newer one is refused.</summary>
    public int Version { get; set; }
    public string Subject { get; set; } = "";
    public string? SenderName { get; set; }
    public string? SenderEmail { get; set; }
    public bool SenderPerDealer { get; set; }
    public string BodyHtml { get; set; } = "";
    /// <summary>A hand-written plain-text part; empty: generated from the HTML.</summary>
    public string? BodyText { get; set; }
}

/// <summary>The SMS text of a campaign as the editor binds to it.</summary>
public sealed class SmsContentDraft
{
    public long CampaignId { get; set; }
    public string CampaignName { get; set; } = "";
    public int Version { get; set; }
    public string Text { get; set; } = "";
    public string? SenderId { get; set; }
}

/// <summary>A saved design: the new campaign version, the HTML as stored (sanitised), and the warnings to show.</summary>
public sealed record ContentSaveResult(int Version, string BodyHtml, IReadOnlyList<MergeFieldProblem> Warnings);

/// <summary>
/// Loading and saving a campaign's e-mail design and SMS text. Saving sanitises the HTML (see <see cref="CampaignHtml"/>),
/// refuses content whose merge fields would not resolve (<see cref="MergeFieldCheck"/>), and bumps the campaign's
/// version like any other edit, so two people editing the same campaign are told. Another scope's campaign is not
/// found, like a missing one (the context is the user's).
/// </summary>
public static class CampaignContentEditing
{
    public const int MaxHtmlLength = 500_000;
    public const int MaxSmsLength = 1_600;
    public const string ImagePathPrefix = "/campaign-images/";

    /// <summary>Whether a user may preview content as a real customer and test-send it with real data (Agency users may not).</summary>
    public static bool SeesRealCustomers(IEnumerable<CrmRole> roles, ScopeLevel level)
    {
        var list = roles.ToList();
        return PermissionMatrix.SeesPersonalData(list, level) && PermissionMatrix.Allows(list, level, Permission.ManageCampaigns);
    }

    public static async Task<EmailContentDraft> LoadEmailAsync(CrmDbContext db, long campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await FindAsync(db, campaignId, cancellationToken);
        var content = campaign.Contents.FirstOrDefault(c => c.Channel == CampaignChannelKind.Email);
        return new EmailContentDraft
        {
            CampaignId = campaign.Id,
            CampaignName = campaign.Name,
            OwnerLevel = campaign.OwnerLevel,
            Version = campaign.Version,
            Subject = content?.Subject ?? "",
            SenderName = content?.SenderName,
            SenderEmail = content?.SenderEmail,
            // Network retail campaigns speak for each customer's dealer: their own address is the natural sender.
            SenderPerDealer = content?.SenderPerDealer ?? campaign.OwnerLevel == CampaignOwnerLevel.NetworkRetail,
            BodyHtml = content?.BodyHtml ?? "",
            BodyText = content?.BodyText,
        };
    }

    public static async Task<SmsContentDraft> LoadSmsAsync(CrmDbContext db, long campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await FindAsync(db, campaignId, cancellationToken);
        var content = campaign.Contents.FirstOrDefault(c => c.Channel == CampaignChannelKind.Sms);
        return new SmsContentDraft
        {
            CampaignId = campaign.Id,
            CampaignName = campaign.Name,
            Version = campaign.Version,
            Text = content?.BodyText ?? "",
            SenderId = content?.SmsSenderId,
        };
    }

    /// <summary>Everything wrong with the e-mail design: errors (stop a save and a run) and warnings.</summary>
    public static IReadOnlyList<MergeFieldProblem> Problems(EmailContentDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<MergeFieldProblem>();
        if (string.IsNullOrWhiteSpace(draft.Subject))
        {
            problems.Add(new MergeFieldProblem("Subject", MergeFieldSeverity.Error, "give the e-mail a subject."));
        }
        else if (draft.Subject.Trim().Length > 300)
        {
            problems.Add(new MergeFieldProblem("Subject", MergeFieldSeverity.Error, "the subject is longer than 300 characters."));
        }

        if (!string.IsNullOrWhiteSpace(draft.SenderEmail)
            && !(MimeKit.MailboxAddress.TryParse(draft.SenderEmail.Trim(), out var sender) && sender.Address.Contains('@', StringComparison.Ordinal)))
        {
            problems.Add(new MergeFieldProblem("Sender e-mail", MergeFieldSeverity.Error, $"'{draft.SenderEmail}' is not an e-mail address."));
        }

        if ((draft.SenderName?.Trim().Length ?? 0) > 200)
        {
            problems.Add(new MergeFieldProblem("Sender name", MergeFieldSeverity.Error, "the sender name is longer than 200 characters."));
        }

        // Checked as it will be stored: the editor writes quotes inside merge fields as &quot;, which sanitising decodes.
        var body = CampaignHtml.Sanitise(draft.BodyHtml);
        if (string.IsNullOrWhiteSpace(HtmlToText.Convert(body)) && !body.Contains("<img", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new MergeFieldProblem("Body", MergeFieldSeverity.Error, "the e-mail has no content."));
        }
        else if (draft.BodyHtml.Length > MaxHtmlLength)
        {
            problems.Add(new MergeFieldProblem("Body", MergeFieldSeverity.Error, $"the HTML is longer than {MaxHtmlLength:N0} characters."));
        }

        problems.AddRange(MergeFieldCheck.Check("Subject", draft.Subject));
        problems.AddRange(MergeFieldCheck.Check("Sender name", draft.SenderName));
        problems.AddRange(MergeFieldCheck.Check("Body", body));
        problems.AddRange(MergeFieldCheck.Check("Plain-text part", draft.BodyText));
        return problems;
    }

    public static IReadOnlyList<MergeFieldProblem> Problems(SmsContentDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<MergeFieldProblem>();
        if (string.IsNullOrWhiteSpace(draft.Text))
        {
            problems.Add(new MergeFieldProblem("SMS text", MergeFieldSeverity.Error, "write the text of the SMS."));
        }
        else if (draft.Text.Length > MaxSmsLength)
        {
            problems.Add(new MergeFieldProblem("SMS text", MergeFieldSeverity.Error, $"the text is longer than {MaxSmsLength:N0} characters."));
        }

        if (!string.IsNullOrWhiteSpace(draft.SenderId) && !Sms.SmsSenderIds.IsValid(draft.SenderId.Trim()))
        {
            problems.Add(new MergeFieldProblem("Sender", MergeFieldSeverity.Error,
                $"'{draft.SenderId}' is not a sender ID: use up to 11 letters, digits and spaces (with at least one letter) or a phone number in +44... form."));
        }

        if (draft.Text.Contains(Sending.CampaignEmailTemplate.UnsubscribeField, StringComparison.Ordinal))
        {
            problems.Add(new MergeFieldProblem("SMS text", MergeFieldSeverity.Error, "the unsubscribe link is for e-mails; SMS recipients reply STOP."));
        }

        problems.AddRange(MergeFieldCheck.Check("SMS text", draft.Text).Where(p => p.Field != Sending.CampaignEmailTemplate.UnsubscribeField));
        return problems;
    }

    /// <summary>
    /// Saves the e-mail design (and enables the e-mail channel). Throws <see cref="DomainException"/> listing the
    /// errors when merge fields or required parts are wrong, <see cref="CampaignConcurrencyException"/> when the
    /// campaign changed since it was loaded. <paramref name="publicBaseUrl"/> turns app-relative image addresses
    /// into absolute ones, as mail clients need them.
    /// </summary>
    public static async Task<ContentSaveResult> SaveEmailAsync(CrmDbContext db, EmailContentDraft draft, DateTime now, string publicBaseUrl,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = Problems(draft);
        ThrowIfErrors(problems);
        var html = AbsoluteImages(CampaignHtml.Sanitise(draft.BodyHtml), publicBaseUrl);
        var campaign = await FindForUpdateAsync(db, draft.CampaignId, draft.Version, cancellationToken);
        var content = ContentOf(campaign, CampaignChannelKind.Email);
        content.Subject = draft.Subject.Trim();
        content.SenderName = Trimmed(draft.SenderName);
        content.SenderEmail = Trimmed(draft.SenderEmail);
        content.SenderPerDealer = draft.SenderPerDealer;
        content.BodyHtml = html;
        content.BodyText = string.IsNullOrWhiteSpace(draft.BodyText) ? null : draft.BodyText.ReplaceLineEndings("\n").Trim() + "\n";
        content.UpdatedAt = now;
        campaign.UpdatedAt = now;
        var version = await SaveAsync(db, campaign, cancellationToken);
        return new ContentSaveResult(version, html, problems);
    }

    public static async Task<ContentSaveResult> SaveSmsAsync(CrmDbContext db, SmsContentDraft draft, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = Problems(draft);
        ThrowIfErrors(problems);
        var campaign = await FindForUpdateAsync(db, draft.CampaignId, draft.Version, cancellationToken);
        var content = ContentOf(campaign, CampaignChannelKind.Sms);
        content.BodyText = draft.Text.ReplaceLineEndings("\n").Trim();
        content.SmsSenderId = Trimmed(draft.SenderId);
        content.UpdatedAt = now;
        campaign.UpdatedAt = now;
        var version = await SaveAsync(db, campaign, cancellationToken);
        return new ContentSaveResult(version, content.BodyText, problems);
    }

    /// <summary>
    /// The content problems that stop a run of the campaign (errors only), over every channel it has content for:
    /// what scheduling and starting a run check.
    /// </summary>
    public static IReadOnlyList<MergeFieldProblem> RunBlockers(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var problems = new List<MergeFieldProblem>();
        foreach (var content in campaign.Contents)
        {
            switch (content.Channel)
            {
                case CampaignChannelKind.Email:
                    problems.AddRange(MergeFieldCheck.Check("E-mail subject", content.Subject));
                    problems.AddRange(MergeFieldCheck.Check("E-mail sender name", content.SenderName));
                    problems.AddRange(MergeFieldCheck.Check("E-mail body", content.BodyHtml));
                    problems.AddRange(MergeFieldCheck.Check("E-mail plain text", content.BodyText));
                    break;
                case CampaignChannelKind.Sms:
                    problems.AddRange(MergeFieldCheck.Check("SMS text", content.BodyText));
                    break;
                default:
                    break;
            }
        }

        return problems.Where(p => p.Severity == MergeFieldSeverity.Error).ToList();
    }

    /// <summary>Image addresses the app serves (<c>/campaign-images/...</c>) made absolute with the public base URL.</summary>
    public static string AbsoluteImages(string html, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        var baseUrl = (publicBaseUrl ?? "").TrimEnd('/');
        return baseUrl.Length == 0 ? html : html.Replace("src=\"" + ImagePathPrefix, "src=\"" + baseUrl + ImagePathPrefix, StringComparison.Ordinal);
    }

    private static void ThrowIfErrors(IReadOnlyList<MergeFieldProblem> problems)
    {
        var errors = problems.Where(p => p.Severity == MergeFieldSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new DomainException("Not saved: " + string.Join(" ", errors.Select(e => $"{e.Part}: {e.Message}")));
        }
    }

    private static async Task<Campaign> FindAsync(CrmDbContext db, long campaignId, CancellationToken cancellationToken) =>
        await db.Campaigns.AsNoTracking().Include(c => c.Contents).FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(campaignId);

    private static async Task<Campaign> FindForUpdateAsync(CrmDbContext db, long campaignId, int version, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.Include(c => c.Contents).FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(campaignId);
        if (campaign.Version != version)
        {
            throw Conflict();
        }

        db.Entry(campaign).Property(c => c.Version).OriginalValue = version;
        campaign.Version = version + 1;
        return campaign;
    }

    private static CampaignContent ContentOf(Campaign campaign, CampaignChannelKind channel)
    {
        var content = campaign.Contents.FirstOrDefault(c => c.Channel == channel);
        if (content is null)
        {
            content = new CampaignContent { Channel = channel };
            campaign.Contents.Add(content);
        }

        return content;
    }

    private static async Task<int> SaveAsync(CrmDbContext db, Campaign campaign, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Conflict();
        }

        return campaign.Version;
    }

    private static CampaignConcurrencyException Conflict() =>
        new("Someone else saved this campaign after you opened it. Reload it to see their changes, then make yours again.");

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
