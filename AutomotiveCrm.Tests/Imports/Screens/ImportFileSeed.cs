using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>
/// File audit rows written straight into the database (the screens only read them): a file of a dealer in a given
/// state with counts, and its rejects and duplicates.
/// </summary>
public sealed class ImportFileSeed(Dealer dealer, long networkId)
{
    private static int sequence;

    public ImportFileType FileType { get; init; } = ImportFileType.Customers;
    public ImportStatus Status { get; init; } = ImportStatus.Completed;
    public string OriginalName { get; init; } = "CUST_20261124.csv";
    public DateTime ReceivedAt { get; init; } = new(2026, 11, 24, 2, 15, 0, DateTimeKind.Utc);
    public long RowsRead { get; init; }
    public long RowsRejected { get; init; }
    public long RowsDuplicate { get; init; }
    public long RowsInserted { get; init; }
    public long RowsUpdated { get; init; }
    public long RowsUnchanged { get; init; }
    public long ProgressRows { get; init; }
    public string? StatusReason { get; init; }
    public ImportChannel Channel { get; init; } = ImportChannel.DropFolder;
    public string DeliveredBy { get; init; } = "sftp:DLR";

    public async Task<ImportFile> SaveAsync(CrmDbContext db, params ImportReject[] rejects)
    {
        ArgumentNullException.ThrowIfNull(db);
        var n = Interlocked.Increment(ref sequence);
        var final = Status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Refused;
        var file = new ImportFile
        {
            NetworkId = networkId,
            DealerGroupId = dealer.DealerGroupId,
            DealerId = dealer.Id,
            FileType = FileType,
            OriginalName = OriginalName,
            StoredName = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(OriginalName)}_{ReceivedAt:yyyyMMddHHmmssfff}_{n}.csv"),
            SizeBytes = 1000 + n,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OriginalName + n))),
            Channel = Channel,
            DeliveredBy = DeliveredBy,
            Status = Status,
            StatusReason = StatusReason,
            ReceivedAt = ReceivedAt,
            StartedAt = Status == ImportStatus.Received ? null : ReceivedAt.AddSeconds(5),
            CompletedAt = final ? ReceivedAt.AddSeconds(65) : null,
            RowsRead = RowsRead,
            RowsRejected = RowsRejected,
            RowsDuplicate = RowsDuplicate,
            RowsInserted = RowsInserted,
            RowsUpdated = RowsUpdated,
            RowsUnchanged = RowsUnchanged,
            ProgressRows = ProgressRows,
        };
        db.ImportFiles.Add(file);
        await db.SaveChangesAsync();
        foreach (var reject in rejects)
        {
            reject.ImportFileId = file.Id;
            db.ImportRejects.Add(reject);
        }

        await db.SaveChangesAsync();
        return file;
    }
}
