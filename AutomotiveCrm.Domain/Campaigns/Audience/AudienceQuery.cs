using System.Linq.Expressions;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>Whose customers an audience is drawn from: a campaign's owner (or the owner a new campaign will have).</summary>
/// <param name="OwnerLevel">Dealer, group, network retail or network wholesale.</param>
/// <param name="NetworkId">The network.</param>
/// <param name="DealerGroupId">The group (group and dealer campaigns).</param>
/// <param name="DealerId">The dealer (dealer campaigns).</param>
public sealed record AudienceTarget(CampaignOwnerLevel OwnerLevel, long NetworkId, long? DealerGroupId = null, long? DealerId = null)
{
    public static AudienceTarget Of(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new AudienceTarget(campaign.OwnerLevel, campaign.NetworkId, campaign.DealerGroupId, campaign.DealerId);
    }
}

/// <summary>
/// Compiles an audience into one EF Core query over <see cref="Customer"/>: the filter tree, the owner's reach, the
/// channel's consent and the suppression list, all as expressions, so counting, paging or streaming it is one SQL
/// statement and nothing is filtered in memory. The user's scope comes from the context: pass one from the
/// user-scoped factory and the tenant filters keep every other group's customers out (tombstones are hidden by the
/// context's "Live" filter).
/// </summary>
/// <remarks>
/// <para>Owner reach: a dealer campaign takes the dealer's group's customers whose responsible dealer is that dealer
/// or who have a current relationship with it (the dealer knows them now, by sale or service); a group campaign the
/// group's customers; network retail every group's customers that have a responsible dealer (messages go on its
/// behalf, and a customer without one has nobody to speak for them); network wholesale one retail record per
/// wholesale person (the lowest id among the person's matching records).</para>
/// <para>Consent mirrors <see cref="ConsentState"/>: per (channel, Marketing, brand-or-dealer) the latest record wins
/// (ties by record id). The scopes that count are the sending dealer and the brands it represents (dealer campaigns:
/// the dealer; network retail: the customer's responsible dealer); group and wholesale campaigns speak for every
/// dealer and brand, so every scope counts. A customer is reachable when at least one counting scope is currently
/// opted in and none is currently opted out: doubt never becomes permission. For wholesale, an opt-out on any of the
/// person's retail records excludes the person.</para>
/// <para>Channel: e-mail needs a primary e-mail address, SMS a mobile number, a call list a primary phone, labels a
/// primary postal address. The address must not be suppressed for the channel in the network, network-wide or by the
/// customer's group (a dealer-level suppression binds the whole group: the safe reading).</para>
/// </remarks>
public static class AudienceQuery
{
    /// <summary>The campaign's current audience for a channel (null: no consent, contact or suppression check).</summary>
    public static Task<IQueryable<Customer>> BuildAsync(CrmDbContext db, Campaign campaign, CampaignChannelKind? channel, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return BuildAsync(db, AudienceTarget.Of(campaign), AudienceDefinition.FromJson(campaign.AudienceJson), channel, today, cancellationToken);
    }

    /// <summary>
    /// An audience for an owner and a channel. Template references are resolved first (the templates the context's
    /// user may use: shared ones in scope and their own); an unknown or invalid definition throws
    /// <see cref="AudienceException"/> naming the condition.
    /// </summary>
    public static async Task<IQueryable<Customer>> BuildAsync(CrmDbContext db, AudienceTarget target, AudienceDefinition definition,
        CampaignChannelKind? channel, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(definition);
        var templates = await AudienceTemplates.ResolveAsync(db, definition, cancellationToken);
        AudienceValidator.ThrowIfInvalid(definition, templates);
        var dealerBrands = target.OwnerLevel == CampaignOwnerLevel.Dealer && target.DealerId is { } dealerId
            ? await db.DealerBrands.Where(b => b.DealerId == dealerId).Select(b => b.BrandId).ToListAsync(cancellationToken)
            : [];
        var compiler = new AudienceCompiler(db, target, today, templates, dealerBrands);
        return compiler.Compile(definition, channel);
    }

    /// <summary>
    /// Which of <paramref name="customerIds"/> the campaign may still contact on the channel now: a contact point,
    /// current consent as the campaign's owner needs it, no suppression. The audience filter is not applied again (the
    /// run froze it): this is the send-time re-check of a frozen audience, one statement per batch.
    /// </summary>
    public static async Task<HashSet<long>> StillReachableAsync(CrmDbContext db, Campaign campaign, CampaignChannelKind channel,
        IReadOnlyCollection<long> customerIds, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(customerIds);
        var target = AudienceTarget.Of(campaign);
        var dealerBrands = target.OwnerLevel == CampaignOwnerLevel.Dealer && target.DealerId is { } dealerId
            ? await db.DealerBrands.Where(b => b.DealerId == dealerId).Select(b => b.BrandId).ToListAsync(cancellationToken)
            : [];
        var compiler = new AudienceCompiler(db, target, today, new Dictionary<long, AudienceDefinition>(), dealerBrands);
        var ids = customerIds.ToList();
        var reachable = await compiler.Reachable(channel).Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        return [.. reachable];
    }

    /// <summary>The consent channel a campaign channel needs: labels are post, call lists the phone.</summary>
    public static ConsentChannel ConsentChannelFor(CampaignChannelKind channel) => channel switch
    {
        CampaignChannelKind.Email => ConsentChannel.Email,
        CampaignChannelKind.Sms => ConsentChannel.Sms,
        CampaignChannelKind.Label => ConsentChannel.Post,
        CampaignChannelKind.CallList => ConsentChannel.Phone,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };
}
