using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Vehicles;

/// <summary>One period during which a vehicle carried a registration plate; <see cref="ValidTo"/> null is current.</summary>
public class PlateRegistration : Entity
{
    public long VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public required string Plate { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>Plates compare without spaces or dashes and in upper case ("ab12 cde" = "AB12CDE").</summary>
    public static string? Normalise(string? plate)
    {
        if (string.IsNullOrWhiteSpace(plate))
        {
            return null;
        }

        var chars = plate.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray();
        return chars.Length == 0 ? null : new string(chars);
    }
}

/// <summary>An odometer reading: history, appended and never changed.</summary>
public class MileageReading : Entity, IAppendOnly
{
    public long VehicleId { get; set; }
    public Vehicle? Vehicle { get; set; }
    public DateOnly ReadOn { get; set; }
    public int Value { get; set; }
    public MileageUnit Unit { get; set; }
    public MileageSource Source { get; set; }
    /// <summary>The dealer that read it, when known.</summary>
    public long? DealerId { get; set; }
    /// <summary>The import file the reading came from (null: the desk).</summary>
    public long? SourceFileId { get; set; }
}

internal sealed class PlateRegistrationConfiguration : IEntityTypeConfiguration<PlateRegistration>
{
    public void Configure(EntityTypeBuilder<PlateRegistration> builder)
    {
        builder.Property(p => p.Plate).HasMaxLength(16);
        builder.HasOne(p => p.Vehicle).WithMany(v => v.Plates).HasForeignKey(p => p.VehicleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.Plate);
        builder.HasIndex(p => p.VehicleId);
    }
}

internal sealed class MileageReadingConfiguration : IEntityTypeConfiguration<MileageReading>
{
    public void Configure(EntityTypeBuilder<MileageReading> builder)
    {
        builder.Property(m => m.Unit).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Source).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(m => m.Vehicle).WithMany(v => v.MileageReadings).HasForeignKey(m => m.VehicleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisation.Dealer>().WithMany().HasForeignKey(m => m.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.VehicleId, m.ReadOn });
    }
}
