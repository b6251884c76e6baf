using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Imports;

/// <summary>
/// How one DMS provider writes one file type: the column mapping (canonical field to header name, or to a 1-based
/// column number when the file has no header row), delimiter, quote, encoding, date and number formats and the
/// file-name pattern that recognises the type in the drop folder. Network administrators edit profiles.
/// </summary>
public class ImportProfile : Entity, ITimestamped
{
    public long NetworkId { get; set; }
    public Network? Network { get; set; }

    /// <summary>Unique within the network, e.g. "AutoLine Customers".</summary>
    public required string Name { get; set; }
    /// <summary>The DMS provider's name, e.g. "AutoLine".</summary>
    public required string DmsProvider { get; set; }
    public ImportFileType FileType { get; set; }

    /// <summary>One character; "\t" is written as the tab character itself.</summary>
    public string Delimiter { get; set; } = ",";
    /// <summary>The quote character, or null when the provider never quotes.</summary>
    public string? Quote { get; set; } = "\"";
    /// <summary>A .NET encoding name: utf-8 or windows-1252.</summary>
    public string Encoding { get; set; } = "utf-8";
    /// <summary>A .NET exact date format, e.g. dd/MM/yyyy or yyyy-MM-dd.</summary>
    public string DateFormat { get; set; } = "yyyy-MM-dd";
    /// <summary>"." or ",".</summary>
    public string DecimalSeparator { get; set; } = ".";
    public bool HasHeaderRow { get; set; } = true;
    /// <summary>A glob over the file name (* and ?), case-insensitive, e.g. CUST_*.csv.</summary>
    public string FileNamePattern { get; set; } = "*.csv";

    /// <summary>
    /// JSON array of <c>{"field": "...", "source": "..."}</c>: the canonical field (see <c>DmsFileSpecs</c>) and the
    /// header name, or the 1-based column number when <see cref="HasHeaderRow"/> is false.
    /// </summary>
    public string ColumnMap { get; set; } = "[]";

    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class ImportProfileConfiguration : IEntityTypeConfiguration<ImportProfile>
{
    public void Configure(EntityTypeBuilder<ImportProfile> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.DmsProvider).HasMaxLength(60);
        builder.Property(p => p.FileType).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.Delimiter).HasMaxLength(1);
        builder.Property(p => p.Quote).HasMaxLength(1);
        builder.Property(p => p.Encoding).HasMaxLength(32);
        builder.Property(p => p.DateFormat).HasMaxLength(32);
        builder.Property(p => p.DecimalSeparator).HasMaxLength(1);
        builder.Property(p => p.FileNamePattern).HasMaxLength(100);
        builder.Property(p => p.ColumnMap).HasMaxLength(8000);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne(p => p.Network).WithMany().HasForeignKey(p => p.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.NetworkId, p.Name }).IsUnique();
        builder.HasIndex(p => new { p.NetworkId, p.DmsProvider, p.FileType });
    }
}
