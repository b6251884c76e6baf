using System.Text.Json;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Wholesale;

/// <summary>
/// The network's record of one real person. Never edited directly: every field is computed from the linked retail
/// records by <see cref="WholesaleComposer"/> (most recently updated non-empty value wins) and recomputed in the
/// same transaction as any change to a linked retail record. <see cref="FieldSources"/> names the retail record
/// each value came from.
/// </summary>
public class WholesaleCustomer : Entity, ITimestamped
{
    public long NetworkId { get; set; }
    public Network? Network { get; set; }

    public BuyerType BuyerType { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? CompanyName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? City { get; set; }
    public string? Postcode { get; set; }
    public string? CountryCode { get; set; }

    /// <summary>Field name (see <see cref="WholesaleFields"/>) to the id of the retail customer it was taken from.</summary>
    public Dictionary<string, long> FieldSources { get; set; } = [];

    public int RetailRecordCount { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<Customer> RetailRecords { get; set; } = [];

    public string DisplayName => BuyerType == BuyerType.Company && CompanyName is not null
        ? CompanyName
        : string.Join(' ', new[] { Title, FirstName, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>The names of the computed fields, as stored in <see cref="WholesaleCustomer.FieldSources"/>.</summary>
public static class WholesaleFields
{
    public const string BuyerType = nameof(WholesaleCustomer.BuyerType);
    public const string Title = nameof(WholesaleCustomer.Title);
    public const string FirstName = nameof(WholesaleCustomer.FirstName);
    public const string LastName = nameof(WholesaleCustomer.LastName);
    public const string CompanyName = nameof(WholesaleCustomer.CompanyName);
    public const string DateOfBirth = nameof(WholesaleCustomer.DateOfBirth);
    public const string Email = nameof(WholesaleCustomer.Email);
    public const string Phone = nameof(WholesaleCustomer.Phone);
    public const string Address = "Address";

    public static readonly IReadOnlyList<string> All =
        [BuyerType, Title, FirstName, LastName, CompanyName, DateOfBirth, Email, Phone, Address];
}

internal sealed class WholesaleCustomerConfiguration : IEntityTypeConfiguration<WholesaleCustomer>
{
    public void Configure(EntityTypeBuilder<WholesaleCustomer> builder)
    {
        builder.Property(w => w.BuyerType).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.Title).HasMaxLength(20);
        builder.Property(w => w.FirstName).HasMaxLength(100);
        builder.Property(w => w.LastName).HasMaxLength(100);
        builder.Property(w => w.CompanyName).HasMaxLength(200);
        builder.Property(w => w.Email).HasMaxLength(254);
        builder.Property(w => w.Phone).HasMaxLength(20);
        builder.Property(w => w.AddressLine1).HasMaxLength(200);
        builder.Property(w => w.AddressLine2).HasMaxLength(200);
        builder.Property(w => w.City).HasMaxLength(100);
        builder.Property(w => w.Postcode).HasMaxLength(16);
        builder.Property(w => w.CountryCode).HasMaxLength(2);
        builder.Property(w => w.FieldSources)
            .HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
                v => JsonSerializer.Deserialize<Dictionary<string, long>>(v, JsonSerializerOptions.Default) ?? new Dictionary<string, long>(),
                new ValueComparer<Dictionary<string, long>>(
                    (a, b) => a != null && b != null && a.Count == b.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key.GetHashCode(StringComparison.Ordinal), kv.Value)),
                    v => new Dictionary<string, long>(v)))
            .HasMaxLength(1000);
        builder.Ignore(w => w.DisplayName);
        builder.HasOne(w => w.Network).WithMany().HasForeignKey(w => w.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => new { w.NetworkId, w.LastName, w.FirstName });
        builder.HasIndex(w => w.Email);
    }
}
