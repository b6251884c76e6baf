using System.Globalization;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using MudBlazor;

namespace AutomotiveCrm.Web.Campaigns.Tracking;

/// <summary>The words, icons and colours the ledger and results screens use for channels, states, events and figures.</summary>
public static class MessageLabels
{
    public static string Channel(CampaignChannelKind channel) => channel switch
    {
        CampaignChannelKind.Email => "E-mail",
        CampaignChannelKind.Sms => "SMS",
        CampaignChannelKind.Label => "Label",
        CampaignChannelKind.CallList => "Call list",
        _ => channel.ToString(),
    };

    public static string ChannelIcon(CampaignChannelKind channel) => channel switch
    {
        CampaignChannelKind.Email => Icons.Material.Filled.Email,
        CampaignChannelKind.Sms => Icons.Material.Filled.Sms,
        CampaignChannelKind.Label => Icons.Material.Filled.LocalPostOffice,
        _ => Icons.Material.Filled.Phone,
    };

    /// <summary>"Sent" means exported for labels and call lists.</summary>
    public static string State(MessageState state, CampaignChannelKind channel) =>
        state == MessageState.Sent && channel is CampaignChannelKind.Label or CampaignChannelKind.CallList ? "Exported" : state.ToString();

    public static Color StateColor(MessageState state) => state switch
    {
        MessageState.Sent => Color.Success,
        MessageState.Failed => Color.Error,
        MessageState.Skipped => Color.Warning,
        _ => Color.Info,
    };

    public static string Event(MessageEventType type, bool machine = false) => type switch
    {
        MessageEventType.SoftBounce => "Soft bounce",
        MessageEventType.HardBounce => "Hard bounce",
        MessageEventType.Open when machine => "Opened (machine)",
        MessageEventType.Open => "Opened",
        MessageEventType.Click => "Clicked",
        MessageEventType.Unsubscribe => "Unsubscribed",
        MessageEventType.Complaint => "Complaint",
        _ => type.ToString(),
    };

    public static Color EventColor(MessageEventType type) => type switch
    {
        MessageEventType.Delivered => Color.Success,
        MessageEventType.Open or MessageEventType.Click => Color.Primary,
        MessageEventType.HardBounce or MessageEventType.Complaint => Color.Error,
        MessageEventType.SoftBounce or MessageEventType.Deferred or MessageEventType.Unsubscribe => Color.Warning,
        _ => Color.Default,
    };

    public static string Metric(ResultMetric metric) => metric switch
    {
        ResultMetric.Messages => "Messages",
        ResultMetric.HardBounced => "Hard bounces",
        ResultMetric.SoftBounced => "Soft bounces",
        ResultMetric.Complained => "Complaints",
        ResultMetric.Opened => "Opened",
        ResultMetric.MachineOpened => "Machine opens only",
        ResultMetric.Clicked => "Clicked",
        ResultMetric.Unsubscribed => "Unsubscribed",
        _ => metric.ToString(),
    };

    public static string When(DateTime? at) => at is { } t ? t.ToLocalTime().ToString("g", CultureInfo.CurrentCulture) : "—";

    public static string Percent(double share) => share.ToString("P1", CultureInfo.CurrentCulture);

    public static string Money(decimal? amount) => amount is { } a ? a.ToString("N2", CultureInfo.CurrentCulture) : "—";
}
