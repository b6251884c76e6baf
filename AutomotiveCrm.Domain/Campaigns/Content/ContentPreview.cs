using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Fluid;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>A customer of the audience the preview can be rendered as.</summary>
public sealed record PreviewCandidate(long CustomerId, string Name, string? Email, string? Mobile);

/// <summary>
/// Previews and test sends of campaign content. A preview renders the draft (not yet saved) as a chosen customer of
/// the campaign's audience for the channel, found through the user's context, so only a customer the user may see
/// and the campaign would reach can be chosen; without a customer it renders as <see cref="MergeFields.Sample"/>,
/// the only choice for users who never see real customers. A test send goes through the configured mail transport,
/// marked as a test, and is recorded nowhere: it counts in no run.
/// </summary>
public static class ContentPreview
{
    public const string PreviewUnsubscribeUrl = "#unsubscribe-preview";
    public const string TestHeader = "X-Campaign-Test";

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { CultureInfo = CultureInfo.InvariantCulture };

    /// <summary>Customers of the campaign's audience on the channel, matching <paramref name="search"/> (name or e-mail), at most <paramref name="take"/>.</summary>
    public static async Task<IReadOnlyList<PreviewCandidate>> CandidatesAsync(CrmDbContext db, long campaignId, CampaignChannelKind channel, string? search,
        DateOnly today, int take = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var audience = await AudienceAsync(db, campaignId, channel, today, cancellationToken);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            audience = audience.Where(c => EF.Functions.Like((c.FirstName ?? "").ToLower() + " " + (c.LastName ?? "").ToLower(), pattern, "\\")
                || EF.Functions.Like((c.CompanyName ?? "").ToLower(), pattern, "\\")
                || c.Emails.Any(e => EF.Functions.Like(e.NormalisedAddress, pattern, "\\")));
        }

        var rows = await audience.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id).Take(Math.Clamp(take, 1, 100))
            .Select(c => new
            {
                c.Id, c.FirstName, c.LastName, c.CompanyName,
                Email = c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
                Mobile = c.Phones.Where(p => p.Kind == Customers.PhoneKind.Mobile).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.Number).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new PreviewCandidate(r.Id,
            string.Join(' ', new[] { r.FirstName, r.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name ? name : r.CompanyName ?? $"Customer {r.Id}",
            r.Email, r.Mobile)).ToList();
    }

    /// <summary>The merge values of a customer of the audience; not found (like a missing one) when the customer is not in it for this user.</summary>
    public static async Task<MergeData> MergeDataAsync(CrmDbContext db, long campaignId, CampaignChannelKind channel, long customerId, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(campaignId);
        var audience = await AudienceAsync(db, campaignId, channel, today, cancellationToken);
        var member = await audience.Where(c => c.Id == customerId)
            .Select(c => new
            {
                c.Id,
                c.ResponsibleDealerId,
                Email = c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("That customer is not in this campaign's audience.");
        var onBehalfOf = campaign.OwnerLevel switch
        {
            CampaignOwnerLevel.Dealer => campaign.DealerId,
            CampaignOwnerLevel.NetworkRetail => member.ResponsibleDealerId,
            _ => null,
        };
        var data = await MergeDataLoader.LoadAsync(db, [new MergeRecipient(0, member.Id, onBehalfOf, member.Email)], cancellationToken);
        return data.TryGetValue(0, out var found) ? found : throw new RecordNotFoundException("That customer is not in this campaign's audience.");
    }

    /// <summary>The e-mail draft rendered for one recipient (sanitised first, exactly as it would be saved and sent).</summary>
    public static RenderedEmail RenderEmail(EmailContentDraft draft, MergeData data, string publicBaseUrl = "")
    {
        ArgumentNullException.ThrowIfNull(draft);
        var content = new CampaignContent
        {
            Channel = CampaignChannelKind.Email,
            Subject = draft.Subject,
            SenderName = draft.SenderName,
            SenderEmail = draft.SenderEmail,
            SenderPerDealer = draft.SenderPerDealer,
            BodyHtml = CampaignContentEditing.AbsoluteImages(CampaignHtml.Sanitise(draft.BodyHtml), publicBaseUrl),
            BodyText = draft.BodyText,
        };
        return CampaignEmailTemplate.Compile(content).Render(data, PreviewUnsubscribeUrl);
    }

    /// <summary>The SMS text rendered for one recipient (merge values as they are: an SMS is not markup).</summary>
    public static string RenderSms(string text, MergeData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!Parser.TryParse(text ?? "", out var template, out var error))
        {
            throw new DomainException($"The SMS text has a merge-field error: {error}");
        }

        return template.Render(MergeFields.Context(data, "", Options), NullEncoder.Default).Trim();
    }

    /// <summary>
    /// The test message: the rendered e-mail to <paramref name="to"/>, its subject marked "[Test]", a
    /// <c>X-Campaign-Test</c> header, and a random Message-ID that no run ever uses.
    /// </summary>
    public static MimeMessage TestMessage(RenderedEmail rendered, string to, CampaignSendingSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(settings);
        var recipient = ParseTestAddress(to);
        var message = new MimeMessage
        {
            MessageId = $"test-{Guid.NewGuid():N}@{settings.EffectiveMessageIdDomain}",
            Subject = "[Test] " + rendered.Subject,
            Date = now,
        };
        var senderAddress = string.IsNullOrWhiteSpace(rendered.SenderEmail) ? settings.EffectiveDefaultFrom.Address : rendered.SenderEmail;
        message.From.Add(new MailboxAddress(rendered.SenderName.Length > 0 ? rendered.SenderName : settings.EffectiveDefaultFrom.Name, senderAddress));
        message.To.Add(recipient);
        message.Headers.Add(TestHeader, "true");
        message.Body = new MultipartAlternative
        {
            new TextPart("plain") { Text = rendered.Text },
            new TextPart("html") { Text = rendered.Html },
        };
        return message;
    }

    /// <summary>One e-mail address for a test send; anything else is refused with the reason.</summary>
    public static MailboxAddress ParseTestAddress(string? to)
    {
        var text = to?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new DomainException("Test address: give the e-mail address the test should go to.");
        }

        if (text.Contains(',', StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal)
            || !MailboxAddress.TryParse(text, out var address) || !address.Address.Contains('@', StringComparison.Ordinal)
            || address.Address.EndsWith('@'))
        {
            throw new DomainException($"Test address: '{text}' is not one e-mail address.");
        }

        return address;
    }

    private static async Task<IQueryable<Customers.Customer>> AudienceAsync(CrmDbContext db, long campaignId, CampaignChannelKind channel, DateOnly today,
        CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(campaignId);
        return await AudienceQuery.BuildAsync(db, campaign, channel, today, cancellationToken);
    }
}
