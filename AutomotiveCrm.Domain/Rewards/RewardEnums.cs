namespace AutomotiveCrm.Domain.Rewards;

/// <summary>Who owns a scheme or a reward, and so who may change it and where it can be redeemed.</summary>
public enum RewardOwnerLevel
{
    Network,
    Group,
    Dealer,
}

public enum CardType
{
    Electronic,
    Physical,
}

public enum RewardAccountStatus
{
    Active,
    Closed,
}

/// <summary>How the customer came into a scheme.</summary>
public enum EnrolmentSource
{
    Desk,
    Import,
    Portal,
    Referral,
}

/// <summary>What moved points or money; every ledger row carries one.</summary>
public enum LedgerEntryKind
{
    /// <summary>Points given by hand at the desk, with a reason.</summary>
    Earn,
    /// <summary>Points from an earning rule applied to an imported sale or service visit.</summary>
    EarnRule,
    IntroBonus,
    Referral,
    Milestone,
    Redeem,
    /// <summary>Undoes another row (a redemption); linked to it.</summary>
    Reverse,
    Expire,
    Adjust,
    /// <summary>A credit that came with a redeemed reward (the "points credited" benefit).</summary>
    Benefit,
}

/// <summary>Where a movement came from.</summary>
public enum LedgerSource
{
    Desk,
    Import,
    System,
    Portal,
}

public enum RewardPromoMode
{
    None,
    /// <summary>One shared code, entered by every customer.</summary>
    SingleCode,
    /// <summary>A pool of codes, each usable once.</summary>
    CodePool,
}

public enum RedemptionStatus
{
    Redeemed,
    Reversed,
}

/// <summary>What an earning rule pays on.</summary>
public enum EarningBasis
{
    VehicleSale,
    ServiceVisit,
}
