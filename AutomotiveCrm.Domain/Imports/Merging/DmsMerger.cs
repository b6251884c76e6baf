using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>The dealer a file belongs to, as the merge needs it.</summary>
public sealed record MergeTarget(long NetworkId, long DealerGroupId, long DealerId, string DealerCode, string CountryCode);

/// <summary>A chunk of staged rows of one file, merged in one short transaction.</summary>
public sealed record MergeChunk(long ImportFileId, ImportFileType FileType, MergeTarget Target, IReadOnlyList<ImportStagingRow> Rows, DateTime Now)
{
    /// <summary>Where the merge adds the time of its phases (diagnostics: the benchmark prints them); null: not measured.</summary>
    public Pipeline.ImportRunMetrics? Metrics { get; init; }

    private long lap = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Adds the time since the previous lap (or the chunk's creation) to the named phase.</summary>
    internal void Lap(string phase)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Metrics?.Phase(phase, System.Diagnostics.Stopwatch.GetElapsedTime(lap, now).TotalMilliseconds);
        lap = now;
    }
}

/// <summary>A staged row the merge refused (e.g. it refers to a customer the dealer's files never delivered).</summary>
public sealed record MergeReject(long LineNumber, string? Column, string Reason);

/// <summary>A staged row identical to what is stored for its key.</summary>
public sealed record MergeDuplicate(long LineNumber, string RecordKey);

public sealed record MergeResult(int Inserted, int Updated, int Unchanged, IReadOnlyList<MergeDuplicate> Duplicates, IReadOnlyList<MergeReject> Rejects);

/// <summary>
/// Merges staged rows of one file type into the main tables, keyed by (dealer, DMS record id) through
/// <see cref="DmsRecord"/>: insert new, update changed, leave unchanged. Runs inside the caller's transaction and
/// never commits; every inserted or updated row gets the file's id as its source.
/// </summary>
public interface IDmsMerger
{
    ImportFileType FileType { get; }

    Task<MergeResult> MergeAsync(CrmDbContext db, MergeChunk chunk, CancellationToken cancellationToken);
}

public static class DmsMergers
{
    private static readonly IDmsMerger[] All =
    [
        new CustomerMerger(),
        new VehicleMerger(),
        new SalesMerger(),
        new ServiceHistoryMerger(),
        new LabourLineMerger(),
        new PartLineMerger(),
        new StockMerger(ImportFileType.NewStock),
        new StockMerger(ImportFileType.UsedStock),
        new BookingMerger(),
        new WorkshopTransactionMerger(),
    ];

    /// <summary>The merger of a file type. Mergers hold no state between calls: one instance serves every file.</summary>
    public static IDmsMerger For(ImportFileType fileType) =>
        All.FirstOrDefault(m => m.FileType == fileType) ?? throw new ArgumentOutOfRangeException(nameof(fileType), fileType, "No merger for this file type.");
}
