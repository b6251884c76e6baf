using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>Who is editing: their place in the organisation decides which owners they may give a reward.</summary>
public sealed record RewardEditor(ScopeLevel Level, long NetworkId, long? GroupId, long? DealerId);

/// <summary>The editable state of a reward: what the form binds to and hands back to <see cref="RewardEditing.SaveAsync"/>.</summary>
public sealed class RewardDraft
{
    /// <summary>0 for a new reward.</summary>
    public long Id { get; set; }

    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Category { get; set; } = "";
    public bool AutoRedeem { get; set; }
    public bool IsActive { get; set; } = true;

    public long CostPoints { get; set; }
    public decimal CostMoney { get; set; }
    public decimal? DiscountAmount { get; set; }
    public decimal? DiscountPercent { get; set; }
    public long PointsCredited { get; set; }
    public string? ItemName { get; set; }
    public int? Stock { get; set; }
    /// <summary>The stock when the form was loaded: a save writes the stock only when the user changed it, so the
    /// items redemptions took meanwhile (a conditional update of their own) are not put back.</summary>
    public int? LoadedStock { get; set; }

    public long? SchemeId { get; set; }
    /// <summary>First day the reward can be had (from midnight UTC).</summary>
    public DateOnly? ValidFrom { get; set; }
    /// <summary>Last day the reward can be had (to the end of that day, UTC).</summary>
    public DateOnly? ValidUntil { get; set; }
    public long? RequiresRewardId { get; set; }
    public string? RequiredMake { get; set; }
    public string? RequiredModel { get; set; }
    public RewardPromoMode PromoMode { get; set; }
    public string? PromoCode { get; set; }
    /// <summary>Single-use codes to add to the pool, one per line (CodePool mode).</summary>
    public string? NewPoolCodes { get; set; }
    /// <summary>Codes already in the pool (read only here).</summary>
    public int PoolCodeCount { get; set; }
    public int? PerCustomerLimit { get; set; }
    public int? TotalLimit { get; set; }
    /// <summary>Redemptions not reversed (read only: the desk moves it).</summary>
    public int RedeemedCount { get; set; }

    public RewardOwnerLevel OwnerLevel { get; set; }
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
    /// <summary>Dealers selected to take part; empty: every dealer under the owner.</summary>
    public List<long> ParticipantDealerIds { get; set; } = [];
    /// <summary>Whole dealer groups selected to take part (network rewards only).</summary>
    public List<long> ParticipantGroupIds { get; set; } = [];
}

/// <summary>Something the form offers in a list: a group, dealer, scheme or reward, with the group it belongs to (null: the network's).</summary>
public sealed record RewardChoice(long Id, string Name, long? GroupId);

/// <summary>What the editor may pick from, all read through the user's context.</summary>
public sealed record RewardEditChoices(
    IReadOnlyList<RewardOwnerLevel> OwnerLevels,
    IReadOnlyList<RewardChoice> Groups,
    IReadOnlyList<RewardChoice> Dealers,
    IReadOnlyList<RewardChoice> Schemes,
    IReadOnlyList<RewardChoice> Rewards)
{
    /// <summary>The dealers the owner of <paramref name="draft"/> may select as participants.</summary>
    public IReadOnlyList<RewardChoice> ParticipantDealersFor(RewardDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.OwnerLevel switch
        {
            RewardOwnerLevel.Network => Dealers,
            RewardOwnerLevel.Group => Dealers.Where(d => d.GroupId == draft.DealerGroupId).ToList(),
            _ => [],
        };
    }

    /// <summary>Schemes and earlier rewards a condition may name: the network's and the owning group's.</summary>
    public IReadOnlyList<RewardChoice> SchemesFor(RewardDraft draft) => Compatible(Schemes, draft);

    public IReadOnlyList<RewardChoice> RequiredRewardsFor(RewardDraft draft) =>
        Compatible(Rewards, draft).Where(r => r.Id != (draft ?? throw new ArgumentNullException(nameof(draft))).Id).ToList();

    private List<RewardChoice> Compatible(IReadOnlyList<RewardChoice> items, RewardDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var group = OwnerGroup(draft);
        return items.Where(i => i.GroupId is null || (draft.OwnerLevel != RewardOwnerLevel.Network && i.GroupId == group)).ToList();
    }

    private long? OwnerGroup(RewardDraft draft) => draft.OwnerLevel == RewardOwnerLevel.Dealer
        ? Dealers.FirstOrDefault(d => d.Id == draft.DealerId)?.GroupId
        : draft.DealerGroupId;
}

/// <summary>Input the user can correct, keyed by the <see cref="RewardDraft"/> property it is about.</summary>
public sealed class RewardValidationException : DomainException
{
    public RewardValidationException()
        : this(new Dictionary<string, string>())
    {
    }

    public RewardValidationException(string message)
        : this(new Dictionary<string, string> { [""] = message })
    {
    }

    public RewardValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string> { [""] = message };
    }

    public RewardValidationException(IReadOnlyDictionary<string, string> errors)
        : base(string.Join(" ", (errors ?? throw new ArgumentNullException(nameof(errors))).Values))
    {
        Errors = errors;
    }

    /// <summary>Field name (a property of <see cref="RewardDraft"/>, or "Benefit") to message.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }
}

/// <summary>
/// Creating and changing rewards from the catalogue. Everything is read through the user's context, so a reward,
/// scheme, group or dealer the user may not see is "not found" exactly like a missing one. The editor's level decides
/// the owners on offer: network managers own network, group or dealer rewards, group managers their group's or one of
/// its dealers', dealer managers their dealer's. Saves go through the context's SaveChangesAsync (audit, timestamps).
/// </summary>
public static class RewardEditing
{
    public const int CodeMaxLength = 32;
    public const int NameMaxLength = 120;
    public const int CategoryMaxLength = 60;
    public const int DescriptionMaxLength = 2000;
    public const int ItemNameMaxLength = 120;
    public const int VehicleMaxLength = 100;
    public const int PromoCodeMaxLength = 40;

    public static IReadOnlyList<RewardOwnerLevel> OwnerLevelsFor(ScopeLevel level) => level switch
    {
        ScopeLevel.Network => [RewardOwnerLevel.Network, RewardOwnerLevel.Group, RewardOwnerLevel.Dealer],
        ScopeLevel.Group => [RewardOwnerLevel.Group, RewardOwnerLevel.Dealer],
        ScopeLevel.Dealer => [RewardOwnerLevel.Dealer],
        _ => [],
    };

    /// <summary>Whether the editor may change a reward they can see (group users see the network's rewards but do not own them).</summary>
    public static bool MayEdit(RewardEditor editor, Reward reward)
    {
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(reward);
        return editor.Level switch
        {
            ScopeLevel.Network => reward.NetworkId == editor.NetworkId,
            ScopeLevel.Group => reward.OwnerLevel != RewardOwnerLevel.Network && reward.DealerGroupId == editor.GroupId,
            ScopeLevel.Dealer => reward.OwnerLevel == RewardOwnerLevel.Dealer && reward.DealerId == editor.DealerId,
            _ => false,
        };
    }

    /// <summary>A new reward owned at the editor's own level.</summary>
    public static RewardDraft NewDraft(RewardEditor editor)
    {
        ArgumentNullException.ThrowIfNull(editor);
        return editor.Level switch
        {
            ScopeLevel.Network => new RewardDraft { OwnerLevel = RewardOwnerLevel.Network },
            ScopeLevel.Group => new RewardDraft { OwnerLevel = RewardOwnerLevel.Group, DealerGroupId = editor.GroupId },
            _ => new RewardDraft { OwnerLevel = RewardOwnerLevel.Dealer, DealerGroupId = editor.GroupId, DealerId = editor.DealerId },
        };
    }

    public static async Task<RewardEditChoices> ChoicesAsync(CrmDbContext db, RewardEditor editor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(editor);
        var groups = await db.DealerGroups.AsNoTracking().Where(g => editor.Level == ScopeLevel.Network || g.Id == editor.GroupId)
            .OrderBy(g => g.Name).Select(g => new RewardChoice(g.Id, g.Name, g.Id)).ToListAsync(cancellationToken);
        var dealers = await db.Dealers.AsNoTracking().Where(d => editor.Level != ScopeLevel.Dealer || d.Id == editor.DealerId)
            .OrderBy(d => d.Name).Select(d => new RewardChoice(d.Id, d.Name, d.DealerGroupId)).ToListAsync(cancellationToken);
        var schemes = await db.RewardSchemes.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new RewardChoice(s.Id, s.Name, s.DealerGroupId)).ToListAsync(cancellationToken);
        var rewards = await db.Rewards.AsNoTracking().OrderBy(r => r.Name)
            .Select(r => new RewardChoice(r.Id, r.Name + " (" + r.Code + ")", r.DealerGroupId)).ToListAsync(cancellationToken);
        return new RewardEditChoices(OwnerLevelsFor(editor.Level), groups, dealers, schemes, rewards);
    }

    /// <summary>The reward as a draft. Another group's reward is not found, like a missing one; a visible reward the
    /// editor does not own (the network's, for a group manager) is refused with a reason.</summary>
    public static async Task<RewardDraft> LoadAsync(CrmDbContext db, RewardEditor editor, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(editor);
        var reward = await db.Rewards.AsNoTracking().Include(r => r.Participants).FirstOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw RecordNotFoundException.For<Reward>(id);
        EnsureMayEdit(editor, reward);
        var poolCodes = await db.RewardPromoCodes.CountAsync(c => c.RewardId == id, cancellationToken);
        return new RewardDraft
        {
            Id = reward.Id,
            Code = reward.Code,
            Name = reward.Name,
            Description = reward.Description,
            Category = reward.Category,
            AutoRedeem = reward.AutoRedeem,
            IsActive = reward.IsActive,
            CostPoints = reward.CostPoints,
            CostMoney = reward.CostMoney,
            DiscountAmount = reward.DiscountAmount,
            DiscountPercent = reward.DiscountPercent,
            PointsCredited = reward.PointsCredited,
            ItemName = reward.ItemName,
            Stock = reward.Stock,
            LoadedStock = reward.Stock,
            SchemeId = reward.SchemeId,
            ValidFrom = reward.ValidFrom is { } from ? DateOnly.FromDateTime(from) : null,
            ValidUntil = reward.ValidUntil is { } until ? DateOnly.FromDateTime(until) : null,
            RequiresRewardId = reward.RequiresRewardId,
            RequiredMake = reward.RequiredMake,
            RequiredModel = reward.RequiredModel,
            PromoMode = reward.PromoMode,
            PromoCode = reward.PromoCode,
            PoolCodeCount = poolCodes,
            PerCustomerLimit = reward.PerCustomerLimit,
            TotalLimit = reward.TotalLimit,
            RedeemedCount = reward.RedeemedCount,
            OwnerLevel = reward.OwnerLevel,
            DealerGroupId = reward.DealerGroupId,
            DealerId = reward.DealerId,
            ParticipantDealerIds = reward.Participants.Where(p => p.DealerId is not null).Select(p => p.DealerId!.Value).Order().ToList(),
            ParticipantGroupIds = reward.Participants.Where(p => p.DealerId is null && p.DealerGroupId is not null).Select(p => p.DealerGroupId!.Value).Order().ToList(),
        };
    }

    /// <summary>The problems that stop a save, by field; empty when it may go ahead.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ValidateAsync(CrmDbContext db, RewardEditor editor, RewardDraft draft,
        CancellationToken cancellationToken = default) =>
        (await CheckAsync(db, editor, draft, cancellationToken)).Errors;

    /// <summary>Creates or updates the reward; returns its id. Throws <see cref="RewardValidationException"/> with every
    /// problem when the draft is not valid (nothing is written then).</summary>
    public static async Task<long> SaveAsync(CrmDbContext db, RewardEditor editor, RewardDraft draft, CancellationToken cancellationToken = default)
    {
        var checkedDraft = await CheckAsync(db, editor, draft, cancellationToken);
        if (checkedDraft.Errors.Count > 0)
        {
            throw new RewardValidationException(checkedDraft.Errors);
        }

        Reward reward;
        if (draft.Id == 0)
        {
            reward = new Reward { NetworkId = editor.NetworkId, Code = "", Name = "", Category = "" };
            db.Rewards.Add(reward);
        }
        else
        {
            reward = await db.Rewards.Include(r => r.Participants).FirstOrDefaultAsync(r => r.Id == draft.Id, cancellationToken)
                ?? throw RecordNotFoundException.For<Reward>(draft.Id);
            EnsureMayEdit(editor, reward);
        }

        Apply(draft, checkedDraft.OwnerGroupId, reward);
        foreach (var code in checkedDraft.NewPoolCodes)
        {
            db.RewardPromoCodes.Add(new RewardPromoCode { Reward = reward, Code = code });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone took the code between the check and the insert: the unique index refused it.
            if (await CodeTakenAsync(db, editor.NetworkId, reward.Code, reward.Id, cancellationToken))
            {
                throw new RewardValidationException(new Dictionary<string, string> { [nameof(RewardDraft.Code)] = CodeTakenMessage });
            }

            throw;
        }

        return reward.Id;
    }

    private const string CodeTakenMessage = "Code is already used by another reward of the network.";

    private static void EnsureMayEdit(RewardEditor editor, Reward reward)
    {
        if (!MayEdit(editor, reward))
        {
            throw new DomainException(reward.OwnerLevel == RewardOwnerLevel.Network
                ? "This is a network reward: the network's managers change it."
                : "This reward belongs to your dealer group: the group's managers change it.");
        }
    }

    private static void Apply(RewardDraft draft, long? ownerGroupId, Reward reward)
    {
        reward.Code = draft.Code.Trim();
        reward.Name = draft.Name.Trim();
        reward.Description = Blank(draft.Description);
        reward.Category = draft.Category.Trim();
        reward.AutoRedeem = draft.AutoRedeem;
        reward.IsActive = draft.IsActive;
        reward.CostPoints = draft.CostPoints;
        reward.CostMoney = draft.CostMoney;
        reward.DiscountAmount = draft.DiscountAmount is > 0 ? draft.DiscountAmount : null;
        reward.DiscountPercent = draft.DiscountPercent is > 0 ? draft.DiscountPercent : null;
        reward.PointsCredited = draft.PointsCredited;
        reward.ItemName = Blank(draft.ItemName);
        if (reward.Id == 0 || draft.Stock != draft.LoadedStock)
        {
            reward.Stock = draft.Stock;
        }

        reward.SchemeId = draft.SchemeId;
        // Days in the form, instants in the model: the window runs from the first day's start to the last day's end.
        reward.ValidFrom = draft.ValidFrom?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        reward.ValidUntil = draft.ValidUntil?.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Utc);
        reward.RequiresRewardId = draft.RequiresRewardId;
        reward.RequiredMake = Blank(draft.RequiredMake);
        reward.RequiredModel = Blank(draft.RequiredModel);
        reward.PromoMode = draft.PromoMode;
        reward.PromoCode = draft.PromoMode == RewardPromoMode.SingleCode ? Blank(draft.PromoCode) : null;
        reward.PerCustomerLimit = draft.PerCustomerLimit;
        reward.TotalLimit = draft.TotalLimit;
        reward.OwnerLevel = draft.OwnerLevel;
        reward.DealerGroupId = draft.OwnerLevel == RewardOwnerLevel.Network ? null : ownerGroupId;
        reward.DealerId = draft.OwnerLevel == RewardOwnerLevel.Dealer ? draft.DealerId : null;

        var wanted = draft.OwnerLevel switch
        {
            RewardOwnerLevel.Network => draft.ParticipantGroupIds.Distinct().Select(g => (Group: (long?)g, Dealer: (long?)null))
                .Concat(draft.ParticipantDealerIds.Distinct().Select(d => (Group: (long?)null, Dealer: (long?)d))).ToList(),
            RewardOwnerLevel.Group => draft.ParticipantDealerIds.Distinct().Select(d => (Group: ownerGroupId, Dealer: (long?)d)).ToList(),
            _ => [],
        };
        reward.Participants.RemoveAll(p => !wanted.Any(w => Matches(p, w)));
        foreach (var participant in reward.Participants.Where(p => p.DealerId is not null))
        {
            participant.DealerGroupId = wanted.First(w => Matches(participant, w)).Group;
        }

        foreach (var (group, dealer) in wanted.Where(w => !reward.Participants.Any(p => Matches(p, w))))
        {
            reward.Participants.Add(new RewardParticipant { DealerGroupId = group, DealerId = dealer });
        }
    }

    private static bool Matches(RewardParticipant participant, (long? Group, long? Dealer) wanted) => participant.DealerId is not null
        ? participant.DealerId == wanted.Dealer
        : wanted.Dealer is null && participant.DealerGroupId == wanted.Group;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Task<bool> CodeTakenAsync(CrmDbContext db, long networkId, string code, long id, CancellationToken cancellationToken) =>
        // The unique index spans the network, so the check must too: only whether the code exists is read, nothing else
        // of another group's reward.
        db.Rewards.IgnoreQueryFilters().AsNoTracking().AnyAsync(r => r.NetworkId == networkId && r.Code == code && r.Id != id, cancellationToken);

    private sealed record Checked(IReadOnlyDictionary<string, string> Errors, long? OwnerGroupId, IReadOnlyList<string> NewPoolCodes);

    private static async Task<Checked> CheckAsync(CrmDbContext db, RewardEditor editor, RewardDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, string>();
        void Add(string field, string message) => errors.TryAdd(field, message);
        void Length(string field, string label, string? value, int max)
        {
            if (value is not null && value.Trim().Length > max)
            {
                Add(field, $"{label} can have at most {max} characters.");
            }
        }

        Reward? existing = null;
        if (draft.Id != 0)
        {
            existing = await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == draft.Id, cancellationToken)
                ?? throw RecordNotFoundException.For<Reward>(draft.Id);
            EnsureMayEdit(editor, existing);
        }

        // Basics.
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            Add(nameof(RewardDraft.Name), "Name is required.");
        }

        Length(nameof(RewardDraft.Name), "Name", draft.Name, NameMaxLength);
        if (string.IsNullOrWhiteSpace(draft.Code))
        {
            Add(nameof(RewardDraft.Code), "Code is required.");
        }
        else if (draft.Code.Trim().Length > CodeMaxLength)
        {
            Add(nameof(RewardDraft.Code), $"Code can have at most {CodeMaxLength} characters.");
        }
        else if (await CodeTakenAsync(db, editor.NetworkId, draft.Code.Trim(), draft.Id, cancellationToken))
        {
            Add(nameof(RewardDraft.Code), CodeTakenMessage);
        }

        if (string.IsNullOrWhiteSpace(draft.Category))
        {
            Add(nameof(RewardDraft.Category), "Category is required (the desk lists rewards by category).");
        }

        Length(nameof(RewardDraft.Category), "Category", draft.Category, CategoryMaxLength);
        Length(nameof(RewardDraft.Description), "Description", draft.Description, DescriptionMaxLength);

        // Cost and benefit.
        if (draft.CostPoints < 0)
        {
            Add(nameof(RewardDraft.CostPoints), "Cost in points cannot be negative.");
        }

        Money(nameof(RewardDraft.CostMoney), "Cost in money", draft.CostMoney, Add);
        Money(nameof(RewardDraft.DiscountAmount), "Discount amount", draft.DiscountAmount, Add);
        if (draft.DiscountPercent is < 0 or > 100)
        {
            Add(nameof(RewardDraft.DiscountPercent), "Discount percentage must be between 0 and 100.");
        }

        if (draft.PointsCredited < 0)
        {
            Add(nameof(RewardDraft.PointsCredited), "Points credited cannot be negative.");
        }

        Length(nameof(RewardDraft.ItemName), "Item", draft.ItemName, ItemNameMaxLength);
        var hasBenefit = draft.DiscountAmount is > 0 || draft.DiscountPercent is > 0 || draft.PointsCredited > 0 || !string.IsNullOrWhiteSpace(draft.ItemName);
        if (!hasBenefit)
        {
            Add("Benefit", "Benefit: give a discount, points credited or an item (or a combination).");
        }

        // Limits and stock.
        if (draft.Stock is < 0)
        {
            Add(nameof(RewardDraft.Stock), "Stock cannot be negative.");
        }
        else if (draft.Stock is not null && string.IsNullOrWhiteSpace(draft.ItemName))
        {
            Add(nameof(RewardDraft.Stock), "Stock counts a physical item: name the item, or leave the stock empty.");
        }

        if (draft.PerCustomerLimit is <= 0)
        {
            Add(nameof(RewardDraft.PerCustomerLimit), "Limit per customer must be at least 1 (empty: no limit).");
        }

        if (draft.TotalLimit is <= 0)
        {
            Add(nameof(RewardDraft.TotalLimit), "Total limit must be at least 1 (empty: no limit).");
        }
        else if (draft.TotalLimit is { } total && existing is not null && total < existing.RedeemedCount)
        {
            Add(nameof(RewardDraft.TotalLimit), $"Total limit cannot be below the {existing.RedeemedCount} already redeemed.");
        }

        // Owner (first: the conditions and participants depend on it).
        long? ownerGroupId = null;
        var ownerKnown = true;
        if (!OwnerLevelsFor(editor.Level).Contains(draft.OwnerLevel))
        {
            Add(nameof(RewardDraft.OwnerLevel), $"Owner: a {editor.Level.ToString().ToLowerInvariant()} manager cannot create a {draft.OwnerLevel.ToString().ToLowerInvariant()} reward.");
            ownerKnown = false;
        }
        else if (draft.OwnerLevel == RewardOwnerLevel.Group)
        {
            var group = draft.DealerGroupId is { } groupId
                ? await db.DealerGroups.AsNoTracking().Where(g => g.Id == groupId && (editor.Level == ScopeLevel.Network || g.Id == editor.GroupId))
                    .Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (group is null)
            {
                Add(nameof(RewardDraft.DealerGroupId), "Owning dealer group: choose one of your dealer groups.");
                ownerKnown = false;
            }

            ownerGroupId = group;
        }
        else if (draft.OwnerLevel == RewardOwnerLevel.Dealer)
        {
            var dealer = draft.DealerId is { } dealerId
                ? await db.Dealers.AsNoTracking().Where(d => d.Id == dealerId && (editor.Level != ScopeLevel.Dealer || d.Id == editor.DealerId))
                    .Select(d => new { d.DealerGroupId }).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (dealer is null)
            {
                Add(nameof(RewardDraft.DealerId), "Owning dealer: choose one of your dealers.");
                ownerKnown = false;
            }

            ownerGroupId = dealer?.DealerGroupId;
        }

        // Conditions.
        if (draft.ValidFrom is { } from && draft.ValidUntil is { } until && from > until)
        {
            Add(nameof(RewardDraft.ValidUntil), "Valid until must be on or after valid from.");
        }

        if (draft.SchemeId is { } schemeId)
        {
            var scheme = await db.RewardSchemes.AsNoTracking().Where(s => s.Id == schemeId).Select(s => new { s.DealerGroupId }).FirstOrDefaultAsync(cancellationToken);
            if (scheme is null)
            {
                Add(nameof(RewardDraft.SchemeId), "Scheme was not found.");
            }
            else if (ownerKnown && !Compatible(scheme.DealerGroupId, draft.OwnerLevel, ownerGroupId))
            {
                Add(nameof(RewardDraft.SchemeId), "Scheme must be the network's or the owning dealer group's.");
            }
        }

        if (draft.RequiresRewardId is { } requiredId)
        {
            var required = await db.Rewards.AsNoTracking().Where(r => r.Id == requiredId)
                .Select(r => new { r.DealerGroupId, r.RequiresRewardId }).FirstOrDefaultAsync(cancellationToken);
            if (required is null)
            {
                Add(nameof(RewardDraft.RequiresRewardId), "Required reward was not found.");
            }
            else if (requiredId == draft.Id)
            {
                Add(nameof(RewardDraft.RequiresRewardId), "Required reward cannot be this reward itself.");
            }
            else if (ownerKnown && !Compatible(required.DealerGroupId, draft.OwnerLevel, ownerGroupId))
            {
                Add(nameof(RewardDraft.RequiresRewardId), "Required reward must be the network's or the owning dealer group's.");
            }
            else if (draft.Id != 0 && await LeadsBackAsync(db, required.RequiresRewardId, draft.Id, cancellationToken))
            {
                Add(nameof(RewardDraft.RequiresRewardId), "Required reward already requires this one: the chain would go round in a circle.");
            }
        }

        Length(nameof(RewardDraft.RequiredMake), "Make", draft.RequiredMake, VehicleMaxLength);
        Length(nameof(RewardDraft.RequiredModel), "Model", draft.RequiredModel, VehicleMaxLength);

        var newCodes = new List<string>();
        if (draft.PromoMode == RewardPromoMode.SingleCode)
        {
            if (string.IsNullOrWhiteSpace(draft.PromoCode))
            {
                Add(nameof(RewardDraft.PromoCode), "Promotion code is required when customers must enter one.");
            }

            Length(nameof(RewardDraft.PromoCode), "Promotion code", draft.PromoCode, PromoCodeMaxLength);
        }
        else if (draft.PromoMode == RewardPromoMode.CodePool)
        {
            newCodes = (draft.NewPoolCodes ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Distinct(StringComparer.Ordinal).ToList();
            var existingCodes = draft.Id == 0 ? []
                : await db.RewardPromoCodes.AsNoTracking().Where(c => c.RewardId == draft.Id).Select(c => c.Code).ToListAsync(cancellationToken);
            if (newCodes.FirstOrDefault(c => c.Length > PromoCodeMaxLength) is { } tooLong)
            {
                Add(nameof(RewardDraft.NewPoolCodes), $"Pool codes can have at most {PromoCodeMaxLength} characters each (\"{tooLong[..12]}…\" is longer).");
            }

            newCodes = newCodes.Except(existingCodes, StringComparer.Ordinal).ToList();
            if (existingCodes.Count + newCodes.Count == 0)
            {
                Add(nameof(RewardDraft.NewPoolCodes), "Pool codes: add at least one single-use code, one per line.");
            }
        }

        // Participants: within the owner only.
        if (ownerKnown)
        {
            await CheckParticipantsAsync(db, draft, ownerGroupId, Add, cancellationToken);
        }

        return new Checked(errors, ownerGroupId, newCodes);
    }

    private static async Task CheckParticipantsAsync(CrmDbContext db, RewardDraft draft, long? ownerGroupId, Action<string, string> add,
        CancellationToken cancellationToken)
    {
        var dealerIds = draft.ParticipantDealerIds.Distinct().ToList();
        var groupIds = draft.ParticipantGroupIds.Distinct().ToList();
        switch (draft.OwnerLevel)
        {
            case RewardOwnerLevel.Dealer:
                if (dealerIds.Count > 0 || groupIds.Count > 0)
                {
                    add(nameof(RewardDraft.ParticipantDealerIds), "Participants: a dealer's reward is redeemable at that dealer only; choose none.");
                }

                break;
            case RewardOwnerLevel.Group:
                if (groupIds.Count > 0)
                {
                    add(nameof(RewardDraft.ParticipantGroupIds), "Participating groups: only network rewards select whole dealer groups.");
                }

                // A dealer the user cannot see and a dealer of another group get the same answer.
                var ownDealers = await db.Dealers.AsNoTracking().Where(d => dealerIds.Contains(d.Id) && d.DealerGroupId == ownerGroupId)
                    .Select(d => d.Id).ToListAsync(cancellationToken);
                if (dealerIds.Except(ownDealers).FirstOrDefault() is var stranger and not 0)
                {
                    add(nameof(RewardDraft.ParticipantDealerIds), $"Participants: dealer {stranger} is not a dealer of the owning group.");
                }

                break;
            default:
                var visibleDealers = await db.Dealers.AsNoTracking().Where(d => dealerIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
                if (dealerIds.Except(visibleDealers).FirstOrDefault() is var unknownDealer and not 0)
                {
                    add(nameof(RewardDraft.ParticipantDealerIds), $"Participants: dealer {unknownDealer} was not found.");
                }

                var visibleGroups = await db.DealerGroups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
                if (groupIds.Except(visibleGroups).FirstOrDefault() is var unknownGroup and not 0)
                {
                    add(nameof(RewardDraft.ParticipantGroupIds), $"Participating groups: dealer group {unknownGroup} was not found.");
                }

                break;
        }
    }

    private static void Money(string field, string label, decimal? value, Action<string, string> add)
    {
        if (value is < 0)
        {
            add(field, $"{label} cannot be negative.");
        }
        else if (value is { } amount && amount != decimal.Round(amount, 2))
        {
            add(field, $"{label} can have at most two decimals.");
        }
    }

    /// <summary>A scheme or earlier reward fits the owner when it is the network's, or the owning group's (not for network rewards).</summary>
    private static bool Compatible(long? itemGroupId, RewardOwnerLevel owner, long? ownerGroupId) =>
        itemGroupId is null || (owner != RewardOwnerLevel.Network && itemGroupId == ownerGroupId);

    private static async Task<bool> LeadsBackAsync(CrmDbContext db, long? next, long target, CancellationToken cancellationToken)
    {
        // Chains are short (a second service after a first); the bound only guards against a cycle made elsewhere.
        for (var step = 0; next is { } id && step < 50; step++)
        {
            if (id == target)
            {
                return true;
            }

            next = await db.Rewards.AsNoTracking().Where(r => r.Id == id).Select(r => r.RequiresRewardId).FirstOrDefaultAsync(cancellationToken);
        }

        return false;
    }
}
