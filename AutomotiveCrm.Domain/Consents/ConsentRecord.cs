using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Consents;

public enum ConsentChannel
{
    Email,
    Sms,
    Post,
    Phone,
}

public enum ConsentPurpose
{
    Marketing,
    ServiceMessages,
}

public enum ConsentStatus
{
    OptIn,
    OptOut,
}

public enum ConsentSource
{
    Form,
    ImportFile,
    Portal,
    Desk,
}

/// <summary>
/// One consent statement: the customer opted in or out of a channel for a purpose, for one brand or one dealer.
/// Records are history (append-only); the current state of each (channel, purpose, scope) is the latest record,
/// see <see cref="ConsentState"/>.
/// </summary>
public class ConsentRecord : Entity, IAppendOnly
{
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public ConsentChannel Channel { get; set; }
    public ConsentPurpose Purpose { get; set; }
    /// <summary>Set for a brand-wide statement; exactly one of <see cref="BrandId"/> and <see cref="DealerId"/> is set.</summary>
    public long? BrandId { get; set; }
    public Brand? Brand { get; set; }
    public long? DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public ConsentStatus Status { get; set; }
    /// <summary>When the customer made the statement (UTC).</summary>
    public DateTime RecordedAt { get; set; }
    public ConsentSource Source { get; set; }
    /// <summary>What proves it: the form wording, the import file and line, the desk user's note.</summary>
    public string? Evidence { get; set; }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Evidence).HasMaxLength(1000);
        builder.HasOne(c => c.Customer).WithMany(c => c.Consents).HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Brand).WithMany().HasForeignKey(c => c.BrandId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.Dealer).WithMany().HasForeignKey(c => c.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CustomerId, c.Channel, c.Purpose, c.RecordedAt });
        builder.ToTable(t => t.HasCheckConstraint("CK_ConsentRecords_OneScope",
            "(\"BrandId\" IS NULL AND \"DealerId\" IS NOT NULL) OR (\"BrandId\" IS NOT NULL AND \"DealerId\" IS NULL)"));
    }
}
