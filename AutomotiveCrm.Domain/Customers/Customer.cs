using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Customers;

/// <summary>
/// A retail customer record, owned by exactly one dealer group. The same real person known to two groups has two
/// retail records, both linked to one <see cref="WholesaleCustomer"/> that network users see.
/// </summary>
public class Customer : Entity, ITimestamped
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }

    /// <summary>The network-level record of this person; its fields are computed from every linked retail record.</summary>
    public long WholesaleCustomerId { get; set; }
    public WholesaleCustomer? WholesaleCustomer { get; set; }

    /// <summary>The preferred / responsible dealer: campaigns sent on the dealer's behalf carry its name.</summary>
    public long? ResponsibleDealerId { get; set; }
    public Dealer? ResponsibleDealer { get; set; }

    public BuyerType BuyerType { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? LastName { get; set; }
    /// <summary>The company's name when <see cref="BuyerType"/> is Company (names then hold the contact person).</summary>
    public string? CompanyName { get; set; }
    public DateOnly? DateOfBirth { get; set; }

    /// <summary>Payment method of the most recent purchase (segmentation attribute).</summary>
    public PaymentMethod? PaymentMethod { get; set; }
    /// <summary>Number of insured accidents the customer reported (segmentation attribute).</summary>
    public int InsuredAccidents { get; set; }

    public CustomerSource Source { get; set; }
    /// <summary>Free reference to the origin: an import file name, a lead id, a desk.</summary>
    public string? SourceReference { get; set; }
    /// <summary>The import file that last inserted or updated this record (null: never imported).</summary>
    public long? SourceFileId { get; set; }
    /// <summary>Set when the record is new or changed and waits for the duplicate matcher; cleared once matched.</summary>
    public DateTime? DedupPendingSince { get; set; }
    /// <summary>
    /// Set when this record was merged into another (the survivor): the record stays as a tombstone so old ids and
    /// links resolve to the survivor. Tombstones are hidden by the context's "Live" query filter.
    /// </summary>
    public long? MergedIntoId { get; set; }
    public DateTime? MergedAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token, incremented on every change by the context.</summary>
    public int Version { get; set; }

    public List<CustomerAddress> Addresses { get; set; } = [];
    public List<CustomerEmail> Emails { get; set; } = [];
    public List<CustomerPhone> Phones { get; set; } = [];
    public List<Relationship> Relationships { get; set; } = [];
    public List<ConsentRecord> Consents { get; set; } = [];

    public string DisplayName => BuyerType == BuyerType.Company && CompanyName is not null
        ? CompanyName
        : string.Join(' ', new[] { Title, FirstName, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public CustomerAddress? PrimaryAddress => Addresses.FirstOrDefault(a => a.IsPrimary) ?? Addresses.FirstOrDefault();
    public CustomerEmail? PrimaryEmail => Emails.FirstOrDefault(e => e.IsPrimary) ?? Emails.FirstOrDefault();
    public CustomerPhone? PrimaryPhone => Phones.FirstOrDefault(p => p.IsPrimary) ?? Phones.FirstOrDefault();
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.BuyerType).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.PaymentMethod).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Title).HasMaxLength(20);
        builder.Property(c => c.FirstName).HasMaxLength(100);
        builder.Property(c => c.MiddleName).HasMaxLength(100);
        builder.Property(c => c.LastName).HasMaxLength(100);
        builder.Property(c => c.CompanyName).HasMaxLength(200);
        builder.Property(c => c.SourceReference).HasMaxLength(260);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.DisplayName);
        builder.Ignore(c => c.PrimaryAddress);
        builder.Ignore(c => c.PrimaryEmail);
        builder.Ignore(c => c.PrimaryPhone);

        builder.HasOne(c => c.DealerGroup).WithMany().HasForeignKey(c => c.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.WholesaleCustomer).WithMany(w => w.RetailRecords).HasForeignKey(c => c.WholesaleCustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.ResponsibleDealer).WithMany().HasForeignKey(c => c.ResponsibleDealerId).OnDelete(DeleteBehavior.Restrict);

        // Look-ups are always within a group: the group leads every search index.
        builder.HasIndex(c => new { c.DealerGroupId, c.LastName, c.FirstName });
        builder.HasIndex(c => new { c.DealerGroupId, c.CompanyName });
        builder.HasIndex(c => c.WholesaleCustomerId);
        builder.HasIndex(c => c.ResponsibleDealerId);
        builder.HasIndex(c => c.SourceFileId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.MergedIntoId);
        builder.HasIndex(c => c.DedupPendingSince).HasFilter("\"DedupPendingSince\" IS NOT NULL");
    }
}
