namespace AutomotiveCrm.Domain.Campaigns;

/// <summary>
/// Whose customers a campaign targets and in whose name it speaks. NetworkRetail: every group's customers, each
/// message on behalf of the customer's responsible dealer (that dealer's name, sender and branding).
/// </summary>
public enum CampaignOwnerLevel
{
    Dealer = 0,
    Group = 1,
    NetworkRetail = 2,
    NetworkWholesale = 3,
}

public enum CampaignStatus
{
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
    Archived = 5,
}

public enum CampaignChannelKind
{
    Email = 0,
    Sms = 1,
    Label = 2,
    CallList = 3,
}

public enum CampaignScheduleKind
{
    Manual = 0,
    Once = 1,
    Daily = 2,
    Weekly = 3,
    Monthly = 4,
    Cron = 5,
}

public enum CampaignRunTrigger
{
    Manual = 0,
    Scheduled = 1,
}

public enum CampaignRunStatus
{
    Pending = 0,
    Running = 1,
    Completed = 2,
    Cancelled = 3,
    Failed = 4,
}

/// <summary>The state of one message to one recipient on one channel; committed before each send attempt.</summary>
public enum MessageState
{
    Queued = 0,
    Sending = 1,
    Sent = 2,
    Failed = 3,
    Skipped = 4,
}

public enum SuppressionReason
{
    HardBounce = 0,
    SoftBounces = 1,
    Complaint = 2,
    Unsubscribe = 3,
    Manual = 4,
}

/// <summary>Label sheets: A4 3x7 (L7160-style), A4 2x7, US Letter 3x10 (5160-style).</summary>
public enum LabelSheet
{
    A4ThreeBySeven = 0,
    A4TwoBySeven = 1,
    LetterThreeByTen = 2,
}
