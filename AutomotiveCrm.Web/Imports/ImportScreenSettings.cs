using System.Globalization;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// The screens' and the daily report's part of the <c>Imports:*</c> configuration (the pipeline reads the same
/// section for its own keys: <c>InboxPath</c>, <c>StorePath</c>, <c>NotifyEmail</c> ...).
/// </summary>
public sealed class ImportScreenSettings
{
    public const string Section = "Imports";

    /// <summary>The systems team's address for failure notices; empty: in-app notifications only.</summary>
    public string? NotifyEmail { get; set; }

    /// <summary>When the daily KPI report is built and e-mailed (Quartz cron, seconds first): 06:00 every day.</summary>
    public string ReportCron { get; set; } = "0 0 6 * * ?";

    /// <summary>
    /// The time zone of the report's schedule and of its days (an IANA or Windows id, e.g. Europe/London); a file
    /// counts on the day it was received in this zone.
    /// </summary>
    public string ReportTimeZone { get; set; } = "UTC";

    /// <summary>The largest file the upload endpoint accepts.</summary>
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>The app's public address (e.g. https://crm.example.com), to put absolute links into e-mails; empty: paths only.</summary>
    public string? PublicBaseUrl { get; set; }

    public TimeZoneInfo ReportZone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(ReportTimeZone) ? "UTC" : ReportTimeZone.Trim(), out var zone)
            ? zone
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Imports:ReportTimeZone '{ReportTimeZone}' is not a time zone this machine knows (use an IANA id such as Europe/London)."));

    /// <summary>An absolute link when <see cref="PublicBaseUrl"/> is set, else the path itself.</summary>
    public string Link(string path) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? path : PublicBaseUrl.TrimEnd('/') + path;
}
