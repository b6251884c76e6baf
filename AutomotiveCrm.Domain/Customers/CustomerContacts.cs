using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Customers;

public class CustomerAddress : Entity
{
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public AddressKind Kind { get; set; }
    public bool IsPrimary { get; set; }
    public string? Line1 { get; set; }
    public string? Line2 { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? Postcode { get; set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string CountryCode { get; set; }
}

public class CustomerEmail : Entity
{
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public required string Address { get; set; }
    /// <summary>Lower-cased, trimmed: the form look-ups and duplicate warnings compare.</summary>
    public required string NormalisedAddress { get; set; }
    public bool IsPrimary { get; set; }
}

public class CustomerPhone : Entity
{
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public PhoneKind Kind { get; set; }
    /// <summary>E.164, e.g. +447700900123.</summary>
    public required string Number { get; set; }
    public bool IsPrimary { get; set; }
}

internal sealed class CustomerAddressConfiguration : IEntityTypeConfiguration<CustomerAddress>
{
    public void Configure(EntityTypeBuilder<CustomerAddress> builder)
    {
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Line1).HasMaxLength(200);
        builder.Property(a => a.Line2).HasMaxLength(200);
        builder.Property(a => a.City).HasMaxLength(100);
        builder.Property(a => a.Region).HasMaxLength(100);
        builder.Property(a => a.Postcode).HasMaxLength(16);
        builder.Property(a => a.CountryCode).HasMaxLength(2);
        builder.HasOne(a => a.Customer).WithMany(c => c.Addresses).HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.CustomerId);
        builder.HasIndex(a => a.Postcode);
    }
}

internal sealed class CustomerEmailConfiguration : IEntityTypeConfiguration<CustomerEmail>
{
    public void Configure(EntityTypeBuilder<CustomerEmail> builder)
    {
        builder.Property(e => e.Address).HasMaxLength(254);
        builder.Property(e => e.NormalisedAddress).HasMaxLength(254);
        builder.HasOne(e => e.Customer).WithMany(c => c.Emails).HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.CustomerId);
        builder.HasIndex(e => e.NormalisedAddress);
    }
}

internal sealed class CustomerPhoneConfiguration : IEntityTypeConfiguration<CustomerPhone>
{
    public void Configure(EntityTypeBuilder<CustomerPhone> builder)
    {
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Number).HasMaxLength(20);
        builder.HasOne(p => p.Customer).WithMany(c => c.Phones).HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.CustomerId);
        builder.HasIndex(p => p.Number);
    }
}
