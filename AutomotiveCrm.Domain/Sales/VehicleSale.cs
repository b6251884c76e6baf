using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Sales;

/// <summary>
/// A vehicle sold by a dealer to a customer (DMS sales file, or the desk): it opens the Selling relationship and,
/// for a trade-in, ends the previous owner's relationships with that vehicle. Campaign results attribute sales.
/// </summary>
public class VehicleSale : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long DealerGroupId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public DateOnly SaleDate { get; set; }
    /// <summary>New or used.</summary>
    public bool IsNew { get; set; }
    public decimal? Price { get; set; }
    public PaymentMethod? PaymentMethod { get; set; }
    /// <summary>The vehicle the customer traded in, when there was one.</summary>
    public long? TradeInVehicleId { get; set; }
    public Vehicle? TradeInVehicle { get; set; }
    /// <summary>The Selling relationship this sale opened.</summary>
    public long? RelationshipId { get; set; }
    public Relationship? Relationship { get; set; }
    public string? DmsRecordId { get; set; }
    public long? SourceFileId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class VehicleSaleConfiguration : IEntityTypeConfiguration<VehicleSale>
{
    public void Configure(EntityTypeBuilder<VehicleSale> builder)
    {
        builder.Property(s => s.PaymentMethod).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Price).HasPrecision(18, 2);
        builder.Property(s => s.DmsRecordId).HasMaxLength(200);
        builder.HasOne(s => s.Dealer).WithMany().HasForeignKey(s => s.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Customer).WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Vehicle).WithMany().HasForeignKey(s => s.VehicleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.TradeInVehicle).WithMany().HasForeignKey(s => s.TradeInVehicleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Relationship).WithMany().HasForeignKey(s => s.RelationshipId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.CustomerId, s.SaleDate });
        builder.HasIndex(s => new { s.DealerGroupId, s.SaleDate });
        builder.HasIndex(s => s.VehicleId);
    }
}
