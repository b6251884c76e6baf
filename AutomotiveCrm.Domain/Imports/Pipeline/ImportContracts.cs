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
    /// <summary>Whether the web app processes received files in the background (off: only the command line does).</summary>
    public bool RunWorker { get; set; } = true;
    /// <summary>Whether the web app watches the drop folder.</summary>
    public bool WatchInbox { get; set; } = true;
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
/// Figures of one <see cref="ImportProcessor.ProcessAsync(long, IProgress{ImportProgress}?, ImportRunMetrics?, CancellationToken)"/>
/// run, for the benchmark and the logs: the longest time a transaction held the write lock and how long each stage took.
/// </summary>
public sealed class ImportRunMetrics
{
    private readonly Lock gate = new();
    private readonly Dictionary<ImportStatus, double> stageSeconds = [];
    private readonly Dictionary<ImportStatus, double> maxLockByStage = [];
    private readonly Dictionary<string, double> phaseMilliseconds = new(StringComparer.Ordinal);

    /// <summary>The longest a pipeline transaction held the write lock (from BEGIN, IMMEDIATE on SQLite, to the end of COMMIT).</summary>
    public double MaxLockMilliseconds { get; private set; }

    /// <summary>Write transactions the run committed.</summary>
    public int Transactions { get; private set; }

    /// <summary>Seconds spent per stage (Checking, Staging, Merging, Completed for the clean-up and archive).</summary>
    public IReadOnlyDictionary<ImportStatus, double> StageSeconds
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<ImportStatus, double>(stageSeconds);
            }
        }
    }

    /// <summary>The longest lock per stage (Staging, Merging; Completed for the deletion of staged rows).</summary>
    public IReadOnlyDictionary<ImportStatus, double> MaxLockByStage
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<ImportStatus, double>(maxLockByStage);
            }
        }
    }

    /// <summary>When set (diagnostics, tests), every transaction's stage, rows and lock time is added to it.</summary>
    internal List<(ImportStatus Stage, long Rows, double Milliseconds)>? Trace { get; set; }

    internal void Lock(ImportStatus stage, double milliseconds, long rows = 0)
    {
        lock (gate)
        {
            Trace?.Add((stage, rows, milliseconds));
            Transactions++;
            MaxLockMilliseconds = Math.Max(MaxLockMilliseconds, milliseconds);
            maxLockByStage[stage] = Math.Max(maxLockByStage.GetValueOrDefault(stage), milliseconds);
        }
    }

    /// <summary>Milliseconds spent per named phase of a stage (diagnostics: the benchmark prints them).</summary>
    public IReadOnlyDictionary<string, double> PhaseMilliseconds
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, double>(phaseMilliseconds);
            }
        }
    }

    internal void Phase(string name, double milliseconds)
    {
        lock (gate)
        {
            phaseMilliseconds[name] = phaseMilliseconds.GetValueOrDefault(name) + milliseconds;
        }
    }

    internal void Stage(ImportStatus stage, double seconds)
    {
        lock (gate)
        {
            stageSeconds[stage] = stageSeconds.GetValueOrDefault(stage) + seconds;
        }
    }
}
