using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Identity;

/// <summary>
/// A person who signs in. Every user has exactly one scope: the network, one dealer group or one dealer; roles
/// (see <see cref="CrmRole"/>) are Identity roles. <see cref="ExpiresAt"/> ends an outside contractor's access.
/// </summary>
public class CrmUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public ScopeLevel ScopeLevel { get; set; }
    public long NetworkId { get; set; }
    /// <summary>Set for group and dealer users (a dealer user's group is its dealer's group).</summary>
    public long? DealerGroupId { get; set; }
    /// <summary>Set for dealer users.</summary>
    public long? DealerId { get; set; }
    /// <summary>After this instant (UTC) the account cannot sign in.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public bool IsExpired(DateTime utcNow) => ExpiresAt is { } expiry && expiry <= utcNow;
}

internal sealed class CrmUserConfiguration : IEntityTypeConfiguration<CrmUser>
{
    public void Configure(EntityTypeBuilder<CrmUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.ScopeLevel).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Organisation.Network>().WithMany().HasForeignKey(u => u.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation.DealerGroup>().WithMany().HasForeignKey(u => u.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation.Dealer>().WithMany().HasForeignKey(u => u.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t => t.HasCheckConstraint("CK_Users_Scope",
            "(\"ScopeLevel\" = 'Network' AND \"DealerGroupId\" IS NULL AND \"DealerId\" IS NULL) OR " +
            "(\"ScopeLevel\" = 'Group' AND \"DealerGroupId\" IS NOT NULL AND \"DealerId\" IS NULL) OR " +
            "(\"ScopeLevel\" = 'Dealer' AND \"DealerGroupId\" IS NOT NULL AND \"DealerId\" IS NOT NULL)"));
    }
}
