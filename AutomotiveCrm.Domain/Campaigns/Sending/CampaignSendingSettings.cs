namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>The <c>Campaigns</c> section: how fast and how persistently campaign messages go out.</summary>
public sealed class CampaignSendingSettings
{
    public const string Section = "Campaigns";

    /// <summary>Messages per second over all runs (a token bucket); 0 or less: no limit.</summary>
    public double SendRatePerSecond { get; set; } = 50;

    /// <summary>Submissions per message before a transient failure (4xx, connection) becomes final.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry waits this long; each further one twice as long as the one before.</summary>
    public double RetryBaseSeconds { get; set; } = 60;

    /// <summary>Where the app is reached from the internet: unsubscribe links point here (<c>{base}/u/{token}</c>).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>Run the background dispatcher in this process (off for instances that only serve pages).</summary>
    public bool RunDispatcher { get; set; } = true;

    /// <summary>How often the dispatcher looks for due messages when it has nothing to do.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>
    /// SMTP connections one dispatch pass submits over at the same time (at least 1). Each submits the next composed
    /// message of the batch and records its outcome itself; with 1, messages go out strictly in row order.
    /// </summary>
    public int Connections { get; set; } = 4;

    /// <summary>Messages claimed (moved to Sending) in one commit.</summary>
    public int BatchSize { get; set; } = 25;

    /// <summary>
    /// A row claimed for sending belongs to its dispatcher for this long; after it the row counts as abandoned (the
    /// process died) and is submitted again with the same Message-ID. Far longer than one submission takes.
    /// </summary>
    public double SendingLeaseSeconds { get; set; } = 300;

    /// <summary>The right-hand side of Message-IDs; empty: the host of <see cref="PublicBaseUrl"/>.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>
    /// The key (base64, at least 32 bytes) unsubscribe tokens are signed with. Must be the same on every instance and
    /// survive restarts, or older links stop working; the web host creates one in the data folder when it is empty.
    /// </summary>
    public string? UnsubscribeKey { get; set; }

    /// <summary>The sender when a campaign's content names none (the web host uses <c>Email:From</c> when this is empty).</summary>
    public string? DefaultFrom { get; set; }

    public MimeKit.MailboxAddress EffectiveDefaultFrom =>
        MimeKit.MailboxAddress.Parse(string.IsNullOrWhiteSpace(DefaultFrom) ? "AutomotiveCrm <no-reply@automotive-crm.local>" : DefaultFrom);

    public string EffectiveMessageIdDomain =>
        !string.IsNullOrWhiteSpace(MessageIdDomain) ? MessageIdDomain.Trim()
        : Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) ? uri.Host
        : "automotive-crm.local";
}

/// <summary>The SMTP server campaign mail is submitted to (the web host fills it from the <c>Email:Smtp</c> settings).</summary>
public sealed record CampaignSmtpEndpoint(string Host, int Port, bool UseStartTls, string? UserName = null, string? Password = null);
