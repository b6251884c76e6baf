using System.Net;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>The <c>Campaigns:Tracking</c> section: suppression thresholds, machine-open rules, the complaint alert, attribution.</summary>
public sealed class TrackingSettings
{
    public const string Section = "Campaigns:Tracking";

    /// <summary>Soft bounces of one address within <see cref="SoftBounceWindowDays"/> that suppress it.</summary>
    public int SoftBounceLimit { get; set; } = 3;

    public int SoftBounceWindowDays { get; set; } = 30;

    /// <summary>A run's complaints over its sent e-mails above this share raise an alert (0.001 = 0.1 %).</summary>
    public double ComplaintRateAlert { get; set; } = 0.001;

    /// <summary>An open this soon after delivery (or sending) is a machine's: people do not read that fast, prefetchers do.</summary>
    public double MachineOpenSeconds { get; set; } = 5;

    /// <summary>User agents of mail-privacy prefetchers and link scanners: a value equal to one, or containing one ending in '*'.</summary>
    public List<string> MachineUserAgents { get; set; } =
    [
        // Apple Mail Privacy Protection fetches with this bare user agent from Apple's proxy network.
        "Mozilla/5.0",
        "Barracuda*",
        "Mimecast*",
        "Proofpoint*",
        "Symantec*",
    ];

    /// <summary>Networks (CIDR) of mail-privacy proxies: Apple's MPP relays come from 17.0.0.0/8.</summary>
    public List<string> MachineNetworks { get; set; } = ["17.0.0.0/8"];

    /// <summary>Days after contact a sale or service visit counts towards a campaign (the results page can change it).</summary>
    public int AttributionDays { get; set; } = 30;

    /// <summary>Whether an open with these properties is a machine's rather than a person's.</summary>
    public bool IsMachineOpen(string? userAgent, string? ipAddress, DateTime openedAt, DateTime? deliveredAt)
    {
        if (deliveredAt is { } delivered && openedAt >= delivered && (openedAt - delivered).TotalSeconds <= MachineOpenSeconds)
        {
            return true;
        }

        var agent = userAgent?.Trim();
        if (!string.IsNullOrEmpty(agent) && MachineUserAgents.Any(p => p.EndsWith('*')
                ? agent.Contains(p.TrimEnd('*'), StringComparison.OrdinalIgnoreCase)
                : string.Equals(agent, p, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (IPAddress.TryParse(ipAddress?.Trim(), out var ip))
        {
            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            foreach (var network in MachineNetworks)
            {
                if (IPNetwork.TryParse(network, out var range) && range.Contains(ip))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
