using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Organisation;

/// <summary>A make sold through the network (the "make" of a vehicle).</summary>
public class Brand : Entity
{
    public long NetworkId { get; set; }
    public Network? Network { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
}

internal sealed class BrandConfiguration : IEntityTypeConfiguration<Brand>
{
    public void Configure(EntityTypeBuilder<Brand> builder)
    {
        builder.Property(b => b.Code).HasMaxLength(32);
        builder.Property(b => b.Name).HasMaxLength(100);
        builder.HasIndex(b => b.Code).IsUnique();
        builder.HasOne(b => b.Network).WithMany(n => n.Brands).HasForeignKey(b => b.NetworkId).OnDelete(DeleteBehavior.Restrict);
    }
}
