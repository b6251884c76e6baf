using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Organisation;

/// <summary>
/// A dealer group: the owner of retail customer records. A single-site dealer is a group of one, so every
/// customer belongs to exactly one group and confidentiality between groups is a matter of this one key.
/// </summary>
public class DealerGroup : Entity
{
    public long NetworkId { get; set; }
    public Network? Network { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }

    public List<Dealer> Dealers { get; set; } = [];
}

internal sealed class DealerGroupConfiguration : IEntityTypeConfiguration<DealerGroup>
{
    public void Configure(EntityTypeBuilder<DealerGroup> builder)
    {
        builder.Property(g => g.Code).HasMaxLength(32);
        builder.Property(g => g.Name).HasMaxLength(200);
        builder.HasIndex(g => g.Code).IsUnique();
        builder.HasOne(g => g.Network).WithMany(n => n.Groups).HasForeignKey(g => g.NetworkId).OnDelete(DeleteBehavior.Restrict);
    }
}
