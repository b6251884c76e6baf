namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>Configuration section "Imports".</summary>
public sealed class ImportSettings
{
    public const string Section = "Imports";

    /// <summary>The drop folder: one sub-folder per dealer code (the SFTP landing area).</summary>
    public string InboxPath { get; set; } = "data/imports/inbox";
    /// <summary>Where received, failed and archived files are kept (received/, failed/, archive/ under it).</summary>
    public string StorePath { get; set; } = "data/imports/store";
    /// <summary>Seconds a file's size must stay the same before the watcher takes it (unless a .done marker exists).</summary>
    public int StableSeconds { get; set; } = 10;
    /// <summary>How often the drop folder is scanned.</summary>
    public int ScanSeconds { get; set; } = 15;
    /// <summary>The systems team's address for failure notices; empty: in-app only.</summary>
    public string? NotifyEmail { get; set; }
    /// <summary>Staged rows merged per transaction (adapted down when a chunk holds the write lock too long).</summary>
    public int MergeChunkRows { get; set; } = 2000;
    /// <summary>The longest the merge may hold the write lock at a time.</summary>
    public int MaxLockMilliseconds { get; set; } = 250;
}

/// <summary>What arrives with a file.</summary>
/// <param name="FileType">Null: recognised from the file name by the profiles' patterns.</param>
/// <param name="ProfileName">Null: the dealer's provider's profile for the type.</param>
public sealed record ImportRequest(string DealerCode, ImportFileType? FileType, string? ProfileName, string OriginalName,
    ImportChannel Channel, string DeliveredBy);

public sealed record ImportProgress(long ImportFileId, ImportStatus Status, long Rows, long? TotalRows);

/// <summary>Told when a file fails or is refused, beyond the in-app notification the pipeline records itself.</summary>
public interface IImportNotifier
{
    Task FileFailedAsync(ImportFile file, string dealerCode, CancellationToken cancellationToken);
}
