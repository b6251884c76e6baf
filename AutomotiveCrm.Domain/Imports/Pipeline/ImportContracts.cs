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

/// <summary>
/// Step 1 of the pipeline: stores a delivered file under its timestamped name while computing its SHA-256 and size,
/// and records it in the file audit (status Received, or Refused when the same content was already imported for the
/// dealer and type). Processing is the <see cref="ImportProcessor"/>'s (the web app's worker picks Received files up).
/// </summary>
public sealed class ImportIntake(Tenancy.ISystemDbContextFactory contexts, ImportSettings settings, TimeProvider clock)
{
    public Task<ImportFile> ReceiveAsync(ImportRequest request, Stream content, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"H2a {contexts}{settings}{clock}");

    /// <summary>Imports an earlier file's original again with the current profile (after a profile correction).</summary>
    public Task<ImportFile> ReprocessAsync(long importFileId, string deliveredBy, CancellationToken cancellationToken) =>
        throw new NotImplementedException("H2a");

    /// <summary>Opens the stored original (received, failed or archived) for download; null when it is gone.</summary>
    public Stream? OpenOriginal(ImportFile file) => throw new NotImplementedException("H2a");
}

/// <summary>Steps 2-5: structure check, row validation and staging, chunked merge, archive. Resumable after a crash.</summary>
public sealed class ImportProcessor(Tenancy.ISystemDbContextFactory contexts, ImportSettings settings, TimeProvider clock, IImportNotifier? notifier = null)
{
    public Task<ImportFile> ProcessAsync(long importFileId, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"H2a {contexts}{settings}{clock}{notifier}");
}
