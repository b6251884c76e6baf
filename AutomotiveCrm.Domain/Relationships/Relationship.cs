using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Relationships;

public enum RelationshipType
{
    Selling,
    Servicing,
    Prospect,
    ContactOnly,
    Breakdown,
}

public enum RelationshipEndReason
{
    SoldAsTradeIn,
    SoldPrivately,
    Scrapped,
    Stolen,
    Exported,
    Superseded,
    Other,
}

/// <summary>
/// The triangle at the centre of the system: a dealer knows a customer through a vehicle, for a period.
/// The period is [StartDate, EndDate): the end date is the first day it no longer holds (the day of the sale),
/// so one period can end on the day the next begins. For one (dealer, customer, vehicle) periods never overlap:
/// at most one relationship holds at any instant (checked by <see cref="RelationshipRules"/> on every save and,
/// for the current row, by a unique filtered index).
/// </summary>
public class Relationship : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }

    /// <summary>The group of both the dealer and the customer (a retail record only knows its own group's dealers).</summary>
    public long DealerGroupId { get; set; }

    public RelationshipType Type { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public RelationshipEndReason? EndReason { get; set; }

    /// <summary>For Selling relationships: how the purchase was paid.</summary>
    public PaymentMethod? PaymentMethod { get; set; }

    /// <summary>The import file that created or last changed this relationship (null: the desk).</summary>
    public long? SourceFileId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsCurrent => EndDate is null;

    public bool HoldsOn(DateOnly day) => StartDate <= day && (EndDate is null || day < EndDate);

    public void End(DateOnly endDate, RelationshipEndReason reason)
    {
        if (EndDate is not null)
        {
            throw new DomainException($"The relationship already ended on {EndDate:yyyy-MM-dd}.");
        }

        if (endDate < StartDate)
        {
            throw new DomainException($"A relationship that started on {StartDate:yyyy-MM-dd} cannot end on {endDate:yyyy-MM-dd}.");
        }

        EndDate = endDate;
        EndReason = reason;
    }
}

internal sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> builder)
    {
        builder.Property(r => r.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.EndReason).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.PaymentMethod).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(r => r.IsCurrent);
        builder.HasOne(r => r.Dealer).WithMany().HasForeignKey(r => r.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Customer).WithMany(c => c.Relationships).HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Vehicle).WithMany(v => v.Relationships).HasForeignKey(r => r.VehicleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);

        // The database's half of the rule: one current relationship per triangle. Double-quoted identifiers are
        // standard SQL: SQLite, PostgreSQL and SQL Server (QUOTED_IDENTIFIER is required for filtered indexes) accept them.
        builder.HasIndex(r => new { r.DealerId, r.CustomerId, r.VehicleId })
            .IsUnique()
            .HasFilter("\"EndDate\" IS NULL")
            .HasDatabaseName("IX_Relationships_Current");
        builder.HasIndex(r => new { r.VehicleId, r.EndDate });
        builder.HasIndex(r => new { r.CustomerId, r.EndDate });
        builder.HasIndex(r => new { r.DealerGroupId, r.Type });
    }
}
