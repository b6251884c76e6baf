using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Organisation;

/// <summary>A national sales company or importer: owns brands and sees the wholesale picture of its dealer groups.</summary>
public class Network : Entity
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country of the market, used to normalise phones and postcodes.</summary>
    public required string CountryCode { get; set; }
    /// <summary>ISO 4217 currency of the market.</summary>
    public required string Currency { get; set; }
    /// <summary>IANA time zone of the market (schedules, reports).</summary>
    public required string TimeZone { get; set; }

    public List<Brand> Brands { get; set; } = [];
    public List<DealerGroup> Groups { get; set; } = [];
}

internal sealed class NetworkConfiguration : IEntityTypeConfiguration<Network>
{
    public void Configure(EntityTypeBuilder<Network> builder)
    {
        builder.Property(n => n.Code).HasMaxLength(32);
        builder.Property(n => n.Name).HasMaxLength(200);
        builder.Property(n => n.CountryCode).HasMaxLength(2);
        builder.Property(n => n.Currency).HasMaxLength(3);
        builder.Property(n => n.TimeZone).HasMaxLength(64);
        builder.HasIndex(n => n.Code).IsUnique();
    }
}
