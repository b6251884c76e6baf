namespace AutomotiveCrm.Web.Account;

/// <summary>
/// <c>Email:*</c> configuration: where the app's mail (password reset links) goes. With a
/// <see cref="PickupDirectory"/> messages are written there as .eml files instead of being sent (Development).
/// </summary>
public sealed class EmailSettings
{
    public const string Section = "Email";

    /// <summary>The sender, e.g. <c>AutomotiveCrm &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "AutomotiveCrm <no-reply@automotive-crm.local>";

    /// <summary>A folder (relative paths are resolved against the content root) that receives .eml files.</summary>
    public string? PickupDirectory { get; set; }

    public SmtpSettings Smtp { get; set; } = new();
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>Upgrade the connection with STARTTLS (required when true); false sends in clear or uses implicit TLS on port 465.</summary>
    public bool UseStartTls { get; set; } = true;
}
