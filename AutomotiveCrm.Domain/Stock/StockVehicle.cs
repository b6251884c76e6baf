using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Stock;

/// <summary>A vehicle in a dealer's stock (DMS new or used stock file), for offers and attack lists.</summary>
public class StockVehicle : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long DealerGroupId { get; set; }
    public bool IsNew { get; set; }
    /// <summary>The DMS stock number.</summary>
    public required string StockNumber { get; set; }
    public string? Vin { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    public string? Derivative { get; set; }
    public BodyType? BodyType { get; set; }
    public FuelType? FuelType { get; set; }
    public string? Colour { get; set; }
    public int? ModelYear { get; set; }
    public int? Mileage { get; set; }
    public decimal? Price { get; set; }
    public DateOnly? ArrivedOn { get; set; }
    /// <summary>In stock, reserved, sold (as the DMS reports it).</summary>
    public string? Status { get; set; }
    public long? SourceFileId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class StockVehicleConfiguration : IEntityTypeConfiguration<StockVehicle>
{
    public void Configure(EntityTypeBuilder<StockVehicle> builder)
    {
        builder.Property(s => s.StockNumber).HasMaxLength(60);
        builder.Property(s => s.Vin).HasMaxLength(17);
        builder.Property(s => s.Make).HasMaxLength(50);
        builder.Property(s => s.Model).HasMaxLength(80);
        builder.Property(s => s.Derivative).HasMaxLength(120);
        builder.Property(s => s.BodyType).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.FuelType).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Colour).HasMaxLength(40);
        builder.Property(s => s.Price).HasPrecision(18, 2);
        builder.Property(s => s.Status).HasMaxLength(40);
        builder.HasOne(s => s.Dealer).WithMany().HasForeignKey(s => s.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.DealerId, s.IsNew, s.StockNumber }).IsUnique();
        builder.HasIndex(s => s.Vin);
    }
}
