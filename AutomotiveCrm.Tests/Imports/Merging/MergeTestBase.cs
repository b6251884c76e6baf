using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Merging;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Merging;

/// <summary>
/// What the merge tests share: an organisation, import files recorded as the pipeline records them, staging rows
/// built from field maps (payload and hash as the reader stages them), and a merge run the way the pipeline runs
/// it: a transaction on a system context, one call per chunk, commit.
/// </summary>
public abstract class MergeTestBase : DatabaseTest
{
    private static int _fileCounter;

    protected TestOrganisation Org { get; private set; } = null!;

    /// <summary>The organisation is seeded before each test (see <see cref="OrganisationBuilder"/>).</summary>
    protected async Task ArrangeAsync() => Org = await SeedOrganisationAsync();

    /// <summary>An import file of a dealer, as the pipeline records one before staging it.</summary>
    protected async Task<ImportFile> NewFileAsync(Dealer dealer, ImportFileType type, string? columnMap = null)
    {
        await using var db = NewContext();
        ImportProfile? profile = null;
        var number = Interlocked.Increment(ref _fileCounter);
        if (columnMap is not null)
        {
            profile = new ImportProfile
            {
                NetworkId = Org.Network.Id,
                Name = $"Profile {number}",
                DmsProvider = "TestDms",
                FileType = type,
                ColumnMap = columnMap,
            };
            db.ImportProfiles.Add(profile);
        }

        var group = await db.Dealers.Where(d => d.Id == dealer.Id).Select(d => d.DealerGroupId).SingleAsync();
        var file = new ImportFile
        {
            NetworkId = Org.Network.Id,
            DealerGroupId = group,
            DealerId = dealer.Id,
            FileType = type,
            Profile = profile,
            OriginalName = $"{type}_{number}.csv",
            StoredName = $"{type}_{number}_{Guid.NewGuid():N}.csv",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(number))),
            Channel = ImportChannel.CommandLine,
            DeliveredBy = "test",
            Status = ImportStatus.Merging,
            ReceivedAt = Clock.GetUtcNow().UtcDateTime,
        };
        db.ImportFiles.Add(file);
        await db.SaveChangesAsync();
        return file;
    }

    /// <summary>One staged row: canonical field to value (null or empty: absent, as the reader stages it).</summary>
    protected static Dictionary<string, string?> Row(params (string Field, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);

    /// <summary>Merges the rows (in chunks of <paramref name="chunkSize"/>) the way the pipeline does and checks the counts add up.</summary>
    protected async Task<MergeResult> MergeAsync(ImportFile file, IReadOnlyList<Dictionary<string, string?>> rows, int chunkSize = 1000)
    {
        var spec = DmsFileSpecs.For(file.FileType);
        var staged = rows.Select((r, i) => Stage(file.Id, spec, r, i)).ToList();
        await using var db = NewContext();
        var dealer = await db.Dealers.IgnoreQueryFilters().SingleAsync(d => d.Id == file.DealerId);
        var target = new MergeTarget(file.NetworkId, dealer.DealerGroupId, dealer.Id, dealer.Code, dealer.CountryCode);
        var inserted = 0;
        var updated = 0;
        var unchanged = 0;
        var duplicates = new List<MergeDuplicate>();
        var rejects = new List<MergeReject>();
        foreach (var chunk in staged.Chunk(chunkSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await DmsMergers.For(file.FileType).MergeAsync(db,
                new MergeChunk(file.Id, file.FileType, target, chunk, Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
            await transaction.CommitAsync();
            Assert.Equal(chunk.Length, result.Inserted + result.Updated + result.Unchanged + result.Rejects.Count);
            Assert.Equal(result.Duplicates.Count, result.Unchanged);
            inserted += result.Inserted;
            updated += result.Updated;
            unchanged += result.Unchanged;
            duplicates.AddRange(result.Duplicates);
            rejects.AddRange(result.Rejects);
        }

        return new MergeResult(inserted, updated, unchanged, duplicates, rejects);
    }

    protected Task<MergeResult> MergeAsync(ImportFile file, params Dictionary<string, string?>[] rows) => MergeAsync(file, rows, 1000);

    /// <summary>A new file of the same dealer and type with the rows: the next night's delivery.</summary>
    protected async Task<MergeResult> ImportAsync(Dealer dealer, ImportFileType type, params Dictionary<string, string?>[] rows) =>
        await MergeAsync(await NewFileAsync(dealer, type), rows);

    private static ImportStagingRow Stage(long fileId, DmsFileSpec spec, Dictionary<string, string?> fields, int index)
    {
        var values = spec.Fields.Where(f => fields.TryGetValue(f.Name, out var v) && !string.IsNullOrEmpty(v))
            .ToDictionary(f => f.Name, f => fields[f.Name]!, StringComparer.Ordinal);
        foreach (var (name, value) in fields.Where(f => spec.Find(f.Key) is null && !string.IsNullOrEmpty(f.Value)))
        {
            values[name] = value!;
        }

        var payload = JsonSerializer.Serialize(values);
        return new ImportStagingRow
        {
            Id = index + 1,
            ImportFileId = fileId,
            LineNumber = index + 2,
            RecordKey = fields[spec.KeyField]!,
            RowHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))[..16]),
            Payload = payload,
        };
    }

    /// <summary>Row counts of every table an import writes, to show that nothing was doubled.</summary>
    protected async Task<Dictionary<string, int>> CountRowsAsync()
    {
        await using var db = NewContext();
        return new Dictionary<string, int>
        {
            ["Customers"] = await db.Customers.IgnoreQueryFilters().CountAsync(),
            ["WholesaleCustomers"] = await db.WholesaleCustomers.IgnoreQueryFilters().CountAsync(),
            ["CustomerAddresses"] = await db.CustomerAddresses.IgnoreQueryFilters().CountAsync(),
            ["CustomerEmails"] = await db.CustomerEmails.IgnoreQueryFilters().CountAsync(),
            ["CustomerPhones"] = await db.CustomerPhones.IgnoreQueryFilters().CountAsync(),
            ["Vehicles"] = await db.Vehicles.IgnoreQueryFilters().CountAsync(),
            ["PlateRegistrations"] = await db.PlateRegistrations.IgnoreQueryFilters().CountAsync(),
            ["MileageReadings"] = await db.MileageReadings.IgnoreQueryFilters().CountAsync(),
            ["Relationships"] = await db.Relationships.IgnoreQueryFilters().CountAsync(),
            ["ServiceVisits"] = await db.ServiceVisits.IgnoreQueryFilters().CountAsync(),
            ["ServiceLabourLines"] = await db.ServiceLabourLines.IgnoreQueryFilters().CountAsync(),
            ["ServicePartLines"] = await db.ServicePartLines.IgnoreQueryFilters().CountAsync(),
            ["VehicleSales"] = await db.VehicleSales.IgnoreQueryFilters().CountAsync(),
            ["StockVehicles"] = await db.StockVehicles.IgnoreQueryFilters().CountAsync(),
            ["WorkshopBookings"] = await db.WorkshopBookings.IgnoreQueryFilters().CountAsync(),
            ["WorkshopTransactions"] = await db.WorkshopTransactions.IgnoreQueryFilters().CountAsync(),
            ["DmsRecords"] = await db.DmsRecords.IgnoreQueryFilters().CountAsync(),
            ["AuditEntries"] = await db.AuditEntries.IgnoreQueryFilters().CountAsync(),
        };
    }

    protected static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
