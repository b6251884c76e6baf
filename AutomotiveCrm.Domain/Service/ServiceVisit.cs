using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Service;

/// <summary>A workshop visit (DMS service history): a vehicle brought in by a customer on a date, with its lines.</summary>
public class ServiceVisit : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long DealerGroupId { get; set; }
    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public DateOnly VisitDate { get; set; }
    public int? Mileage { get; set; }
    public MileageUnit MileageUnit { get; set; }
    /// <summary>Service, repair, MOT/inspection, warranty, recall, bodywork ...</summary>
    public string? WorkType { get; set; }
    public string? Description { get; set; }
    public decimal? TotalAmount { get; set; }
    /// <summary>The DMS's id of the visit (job card / work order number).</summary>
    public string? DmsRecordId { get; set; }
    public long? SourceFileId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<ServiceLabourLine> LabourLines { get; set; } = [];
    public List<ServicePartLine> PartLines { get; set; } = [];
}

public class ServiceLabourLine : Entity
{
    public long ServiceVisitId { get; set; }
    public ServiceVisit? ServiceVisit { get; set; }
    public string? DmsRecordId { get; set; }
    public string? OperationCode { get; set; }
    public string? Description { get; set; }
    public decimal? Hours { get; set; }
    public decimal? Amount { get; set; }
    public long? SourceFileId { get; set; }
}

public class ServicePartLine : Entity
{
    public long ServiceVisitId { get; set; }
    public ServiceVisit? ServiceVisit { get; set; }
    public string? DmsRecordId { get; set; }
    public string? PartNumber { get; set; }
    public string? Description { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? UnitPrice { get; set; }
    public decimal? Amount { get; set; }
    public long? SourceFileId { get; set; }
}

/// <summary>A future workshop booking (DMS): who comes in when, with what vehicle, for what.</summary>
public class WorkshopBooking : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long DealerGroupId { get; set; }
    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long? VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public DateTime BookedFor { get; set; }
    public string? WorkType { get; set; }
    public string? Notes { get; set; }
    public string? DmsRecordId { get; set; }
    public long? SourceFileId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A workshop transaction (invoice, credit, payment) as the DMS booked it.</summary>
public class WorkshopTransaction : Entity, ITimestamped
{
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public long DealerGroupId { get; set; }
    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long? ServiceVisitId { get; set; }
    public ServiceVisit? ServiceVisit { get; set; }
    public DateOnly TransactionDate { get; set; }
    /// <summary>Invoice, Credit, Payment (free text as the DMS calls it).</summary>
    public string? TransactionType { get; set; }
    public decimal Amount { get; set; }
    public string? Reference { get; set; }
    public string? DmsRecordId { get; set; }
    public long? SourceFileId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ServiceVisitConfiguration : IEntityTypeConfiguration<ServiceVisit>
{
    public void Configure(EntityTypeBuilder<ServiceVisit> builder)
    {
        builder.Property(v => v.MileageUnit).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.WorkType).HasMaxLength(60);
        builder.Property(v => v.Description).HasMaxLength(1000);
        builder.Property(v => v.TotalAmount).HasPrecision(18, 2);
        builder.Property(v => v.DmsRecordId).HasMaxLength(200);
        builder.HasOne(v => v.Dealer).WithMany().HasForeignKey(v => v.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(v => v.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(v => v.Customer).WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(v => v.Vehicle).WithMany().HasForeignKey(v => v.VehicleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.VehicleId, v.VisitDate });
        builder.HasIndex(v => new { v.CustomerId, v.VisitDate });
        builder.HasIndex(v => new { v.DealerGroupId, v.VisitDate });
        builder.HasIndex(v => v.SourceFileId);
    }
}

internal sealed class ServiceLabourLineConfiguration : IEntityTypeConfiguration<ServiceLabourLine>
{
    public void Configure(EntityTypeBuilder<ServiceLabourLine> builder)
    {
        builder.Property(l => l.DmsRecordId).HasMaxLength(200);
        builder.Property(l => l.OperationCode).HasMaxLength(40);
        builder.Property(l => l.Description).HasMaxLength(500);
        builder.Property(l => l.Hours).HasPrecision(9, 2);
        builder.Property(l => l.Amount).HasPrecision(18, 2);
        builder.HasOne(l => l.ServiceVisit).WithMany(v => v.LabourLines).HasForeignKey(l => l.ServiceVisitId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => l.ServiceVisitId);
    }
}

internal sealed class ServicePartLineConfiguration : IEntityTypeConfiguration<ServicePartLine>
{
    public void Configure(EntityTypeBuilder<ServicePartLine> builder)
    {
        builder.Property(l => l.DmsRecordId).HasMaxLength(200);
        builder.Property(l => l.PartNumber).HasMaxLength(60);
        builder.Property(l => l.Description).HasMaxLength(500);
        builder.Property(l => l.Quantity).HasPrecision(12, 3);
        builder.Property(l => l.UnitPrice).HasPrecision(18, 2);
        builder.Property(l => l.Amount).HasPrecision(18, 2);
        builder.HasOne(l => l.ServiceVisit).WithMany(v => v.PartLines).HasForeignKey(l => l.ServiceVisitId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => l.ServiceVisitId);
    }
}

internal sealed class WorkshopBookingConfiguration : IEntityTypeConfiguration<WorkshopBooking>
{
    public void Configure(EntityTypeBuilder<WorkshopBooking> builder)
    {
        builder.Property(b => b.WorkType).HasMaxLength(60);
        builder.Property(b => b.Notes).HasMaxLength(1000);
        builder.Property(b => b.DmsRecordId).HasMaxLength(200);
        builder.HasOne(b => b.Dealer).WithMany().HasForeignKey(b => b.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(b => b.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(b => b.Customer).WithMany().HasForeignKey(b => b.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(b => b.Vehicle).WithMany().HasForeignKey(b => b.VehicleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => new { b.DealerId, b.BookedFor });
        builder.HasIndex(b => b.CustomerId);
    }
}

internal sealed class WorkshopTransactionConfiguration : IEntityTypeConfiguration<WorkshopTransaction>
{
    public void Configure(EntityTypeBuilder<WorkshopTransaction> builder)
    {
        builder.Property(t => t.TransactionType).HasMaxLength(40);
        builder.Property(t => t.Amount).HasPrecision(18, 2);
        builder.Property(t => t.Reference).HasMaxLength(100);
        builder.Property(t => t.DmsRecordId).HasMaxLength(200);
        builder.HasOne(t => t.Dealer).WithMany().HasForeignKey(t => t.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(t => t.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Customer).WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.ServiceVisit).WithMany().HasForeignKey(t => t.ServiceVisitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.DealerId, t.TransactionDate });
        builder.HasIndex(t => t.CustomerId);
        builder.HasIndex(t => t.ServiceVisitId);
    }
}
