using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Vehicles;

/// <summary>
/// A physical vehicle in the network. It is not owned by a dealer group: it outlives its owners and passes between
/// customers of different groups. Who may see it follows from the relationships that link it to their customers.
/// </summary>
public class Vehicle : Entity, ITimestamped
{
    public long NetworkId { get; set; }
    public Network? Network { get; set; }

    /// <summary>Normalised VIN (upper case, no spaces), or null when the source did not give one.</summary>
    public string? Vin { get; set; }
    /// <summary>Set when the VIN's check digit is wrong where it applies: kept, but shown to users.</summary>
    public string? VinWarning { get; set; }

    /// <summary>The current registration plate, kept in step with <see cref="Plates"/>.</summary>
    public string? CurrentPlate { get; set; }

    public long? BrandId { get; set; }
    public Brand? Brand { get; set; }
    /// <summary>The make as text, for makes the network does not sell (trade-ins).</summary>
    public string? Make { get; set; }
    public string? Model { get; set; }
    public string? Derivative { get; set; }
    public BodyType? BodyType { get; set; }
    public FuelType? FuelType { get; set; }
    public Transmission? Transmission { get; set; }
    public string? Colour { get; set; }
    public int? ModelYear { get; set; }
    public DateOnly? FirstRegistrationDate { get; set; }
    /// <summary>The import file that last inserted or updated this record (null: never imported).</summary>
    public long? SourceFileId { get; set; }
    /// <summary>Set when this record was merged into another vehicle record (a tombstone, hidden by the "Live" filter).</summary>
    public long? MergedIntoId { get; set; }
    public DateTime? MergedAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<PlateRegistration> Plates { get; set; } = [];
    public List<MileageReading> MileageReadings { get; set; } = [];
    public List<Relationship> Relationships { get; set; } = [];

    /// <summary>Sets the VIN from raw input: an invalid VIN is refused, a bad check digit becomes a warning.</summary>
    public VinCheck SetVin(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Vin = null;
            VinWarning = null;
            return new VinCheck(null, true, null, null);
        }

        var check = Vehicles.Vin.Check(raw);
        if (!check.IsValid)
        {
            throw new DomainException(check.Error!);
        }

        Vin = check.Normalised;
        VinWarning = check.Warning;
        return check;
    }

    /// <summary>Registers a new plate from a date: closes the current plate's period and opens the new one.</summary>
    public PlateRegistration ChangePlate(string plate, DateOnly from)
    {
        var normalised = PlateRegistration.Normalise(plate) ?? throw new DomainException("The registration plate is empty.");
        var current = Plates.Where(p => p.ValidTo is null).OrderByDescending(p => p.ValidFrom).FirstOrDefault();
        if (current is not null)
        {
            if (current.Plate == normalised)
            {
                return current;
            }

            if (from < current.ValidFrom)
            {
                throw new DomainException($"The new plate cannot start on {from:yyyy-MM-dd}, before the current plate {current.Plate} ({current.ValidFrom:yyyy-MM-dd}).");
            }

            current.ValidTo = from;
        }

        var registration = new PlateRegistration { Vehicle = this, Plate = normalised, ValidFrom = from };
        Plates.Add(registration);
        CurrentPlate = normalised;
        return registration;
    }

    /// <summary>Appends a mileage reading; readings are history and are never edited.</summary>
    public MileageReading RecordMileage(DateOnly readOn, int value, MileageUnit unit, MileageSource source, long? dealerId = null)
    {
        if (value < 0)
        {
            throw new DomainException("A mileage reading cannot be negative.");
        }

        var reading = new MileageReading { Vehicle = this, ReadOn = readOn, Value = value, Unit = unit, Source = source, DealerId = dealerId };
        MileageReadings.Add(reading);
        return reading;
    }
}

internal sealed class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> builder)
    {
        builder.Property(v => v.Vin).HasMaxLength(17);
        builder.Property(v => v.VinWarning).HasMaxLength(200);
        builder.Property(v => v.CurrentPlate).HasMaxLength(16);
        builder.Property(v => v.Make).HasMaxLength(50);
        builder.Property(v => v.Model).HasMaxLength(80);
        builder.Property(v => v.Derivative).HasMaxLength(120);
        builder.Property(v => v.Colour).HasMaxLength(40);
        builder.Property(v => v.BodyType).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.FuelType).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Transmission).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(v => v.Network).WithMany().HasForeignKey(v => v.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(v => v.Brand).WithMany().HasForeignKey(v => v.BrandId).OnDelete(DeleteBehavior.Restrict);
        // Not unique: the same VIN can arrive from two DMS before dedup links them, and typos exist.
        builder.HasOne<Vehicle>().WithMany().HasForeignKey(v => v.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.MergedIntoId);
        builder.HasIndex(v => v.Vin);
        builder.HasIndex(v => v.CurrentPlate);
        builder.HasIndex(v => v.BrandId);
    }
}
