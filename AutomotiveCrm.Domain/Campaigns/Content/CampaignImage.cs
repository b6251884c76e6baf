using System.Security.Cryptography;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>
/// An image uploaded for campaign e-mails, owned like the campaign it was uploaded for (network, group, dealer).
/// Mail clients fetch images without signing in, so an image is served at an unguessable address
/// (<c>/campaign-images/{Token}.{ext}</c>, 128 random bits); listing and uploading go through the owner's scope.
/// </summary>
public class CampaignImage
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
    public long? CampaignId { get; set; }
    /// <summary>32 lower-case hex characters from a cryptographic random source.</summary>
    public required string Token { get; set; }
    /// <summary>image/png, image/jpeg, image/gif or image/webp, decided from the bytes, never from the upload's claim.</summary>
    public required string ContentType { get; set; }
    public required string FileName { get; set; }
    public int Length { get; set; }
    public required byte[] Data { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }

    public string Extension => CampaignImages.ExtensionOf(ContentType);

    public string Path => $"{CampaignContentEditing.ImagePathPrefix}{Token}.{Extension}";
}

internal sealed class CampaignImageConfiguration : IEntityTypeConfiguration<CampaignImage>
{
    public void Configure(EntityTypeBuilder<CampaignImage> builder)
    {
        builder.Property(i => i.Token).HasMaxLength(32);
        builder.Property(i => i.ContentType).HasMaxLength(32);
        builder.Property(i => i.FileName).HasMaxLength(200);
        builder.Property(i => i.UploadedBy).HasMaxLength(256);
        builder.HasOne<Network>().WithMany().HasForeignKey(i => i.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(i => i.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(i => i.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(i => i.CampaignId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(i => i.Token).IsUnique();
        builder.HasIndex(i => new { i.NetworkId, i.DealerGroupId, i.UploadedAt });
    }
}

/// <summary>A stored image as the serving endpoint needs it.</summary>
public sealed record StoredImage(string ContentType, byte[] Data, DateTime UploadedAt);

/// <summary>Uploading and serving campaign images: only raster formats recognised by their first bytes, within a size limit.</summary>
public static class CampaignImages
{
    public const int DefaultMaxBytes = 2 * 1024 * 1024;

    /// <summary>The image type from the file's first bytes; null for anything else (SVG, HTML, a renamed script ...).</summary>
    public static string? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }

    public static string ExtensionOf(string contentType) => contentType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "bin",
    };

    /// <summary>
    /// Stores an image for a campaign the user's context can see (another scope's campaign is not found). Throws a
    /// <see cref="DomainException"/> naming the file and the reason for an empty, too large or non-image file.
    /// </summary>
    public static async Task<CampaignImage> StoreAsync(CrmDbContext db, long campaignId, string fileName, byte[] data, string uploadedBy, DateTime now,
        int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(data);
        var name = System.IO.Path.GetFileName(fileName ?? "").Trim();
        name = name.Length == 0 ? "image" : name.Length > 200 ? name[..200] : name;
        if (data.Length == 0)
        {
            throw new DomainException($"Image '{name}': the file is empty.");
        }

        if (data.Length > maxBytes)
        {
            throw new DomainException($"Image '{name}': {data.Length / 1024.0:N0} KB is more than the {maxBytes / 1024:N0} KB allowed for e-mail images.");
        }

        var type = Sniff(data) ?? throw new DomainException(
            $"Image '{name}': only PNG, JPEG, GIF and WebP images can be used (SVG and other formats can carry scripts and are refused).");
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.Id, c.NetworkId, c.DealerGroupId, c.DealerId })
            .FirstOrDefaultAsync(cancellationToken) ?? throw RecordNotFoundException.For<Campaign>(campaignId);
        var image = new CampaignImage
        {
            NetworkId = campaign.NetworkId,
            DealerGroupId = campaign.DealerGroupId,
            DealerId = campaign.DealerId,
            CampaignId = campaign.Id,
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ContentType = type,
            FileName = name,
            Length = data.Length,
            Data = data,
            UploadedBy = uploadedBy,
            UploadedAt = now,
        };
        db.CampaignImages.Add(image);
        await db.SaveChangesAsync(cancellationToken);
        return image;
    }

    /// <summary>The image behind a public address (a system context: mail clients are not signed in); null when unknown.</summary>
    public static async Task<StoredImage?> FindAsync(CrmDbContext db, string token, string extension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (token is not { Length: 32 } || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var image = await db.CampaignImages.AsNoTracking().Where(i => i.Token == token)
            .Select(i => new StoredImage(i.ContentType, i.Data, i.UploadedAt))
            .FirstOrDefaultAsync(cancellationToken);
        return image is not null && ExtensionOf(image.ContentType) == extension ? image : null;
    }
}
