using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Organisation;

/// <summary>A dealership (site) of one dealer group. <see cref="Code"/> is the key DMS imports use.</summary>
public class Dealer : Entity
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? AddressLine1 { get; set; }
    public string? City { get; set; }
    public string? Postcode { get; set; }
    public required string CountryCode { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    /// <summary>The dealer management system the dealer's files come from (picks the import profiles), e.g. "Roadstar".</summary>
    public string? DmsProvider { get; set; }

    public List<DealerBrand> Brands { get; set; } = [];
}

/// <summary>A brand a dealer sells and/or services.</summary>
public class DealerBrand
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long BrandId { get; set; }
    public Brand? Brand { get; set; }
    public bool Sells { get; set; }
    public bool Services { get; set; }
}

internal sealed class DealerConfiguration : IEntityTypeConfiguration<Dealer>
{
    public void Configure(EntityTypeBuilder<Dealer> builder)
    {
        builder.Property(d => d.Code).HasMaxLength(32);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.AddressLine1).HasMaxLength(200);
        builder.Property(d => d.City).HasMaxLength(100);
        builder.Property(d => d.Postcode).HasMaxLength(16);
        builder.Property(d => d.CountryCode).HasMaxLength(2);
        builder.Property(d => d.Phone).HasMaxLength(20);
        builder.Property(d => d.Email).HasMaxLength(254);
        builder.Property(d => d.DmsProvider).HasMaxLength(60);
        builder.HasIndex(d => d.Code).IsUnique();
        builder.HasOne(d => d.DealerGroup).WithMany(g => g.Dealers).HasForeignKey(d => d.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DealerBrandConfiguration : IEntityTypeConfiguration<DealerBrand>
{
    public void Configure(EntityTypeBuilder<DealerBrand> builder)
    {
        builder.HasKey(db => new { db.DealerId, db.BrandId });
        builder.HasOne(db => db.Dealer).WithMany(d => d.Brands).HasForeignKey(db => db.DealerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(db => db.Brand).WithMany().HasForeignKey(db => db.BrandId).OnDelete(DeleteBehavior.Restrict);
    }
}
