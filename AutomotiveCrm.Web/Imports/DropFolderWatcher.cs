using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;

namespace AutomotiveCrm.Web.Imports;

/// <summary>What one scan did with one drop-folder file.</summary>
internal sealed record DropFolderPickup(string Path, string DealerFolder, ImportFile? File, string? RejectedReason);

/// <summary>
/// Watches the drop folder, <c>{Imports:InboxPath}/{dealer code}/</c> (the SFTP server's landing area, one chrooted
/// account per dealer), every <see cref="ImportSettings.ScanSeconds"/>. A file is taken once it is complete: a
/// <c>&lt;name&gt;.done</c> marker exists beside it, or its size and time stamp have not changed for
/// <see cref="ImportSettings.StableSeconds"/>. Hidden files and upload temporaries (*.part, *.tmp, *.filepart) are
/// never taken. A taken file goes through <see cref="ImportIntake.ReceiveAsync"/> (the worker processes it) and is
/// deleted from the drop folder only once its audit row is committed; a file of an unknown dealer folder or with a
/// name no profile recognises is moved to the failed folder with a notice.
/// </summary>
internal sealed partial class DropFolderWatcher(ImportIntake intake, ImportSettings settings, TimeProvider clock, ILogger<DropFolderWatcher> logger)
    : BackgroundService
{
    public const string DoneMarker = ".done";
    private static readonly string[] IgnoredSuffixes = [".part", ".tmp", ".filepart", DoneMarker];

    private readonly Dictionary<string, Observation> observed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim scanning = new(1, 1);

    public override void Dispose()
    {
        scanning.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.WatchInbox)
        {
            return;
        }

        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.ScanSeconds));
        do
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every dealer folder; returns what it took.</summary>
    public async Task<IReadOnlyList<DropFolderPickup>> ScanOnceAsync(CancellationToken cancellationToken)
    {
        await scanning.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(settings.InboxPath);
            var taken = new List<DropFolderPickup>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var folder in Directory.EnumerateDirectories(settings.InboxPath).Order(StringComparer.Ordinal))
            {
                var dealerFolder = Path.GetFileName(folder);
                if (dealerFolder.StartsWith('.'))
                {
                    continue;
                }

                // A dealer's delivery is taken as a whole once every file in it is complete: files arriving a scan
                // apart would otherwise reach the worker one by one, and a labour-lines file could be imported before
                // the service visits it refers to. Taken together, the worker orders them by file type.
                var files = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Where(p => !Ignored(Path.GetFileName(p))).ToList();
                present.UnionWith(files);
                var complete = files.Select(IsComplete).ToList();
                if (complete.Contains(false))
                {
                    continue;
                }

                foreach (var path in files)
                {
                    if (await TakeAsync(dealerFolder, path, cancellationToken) is { } pickup)
                    {
                        taken.Add(pickup);
                    }
                }
            }

            foreach (var gone in observed.Keys.Where(k => !present.Contains(k)).ToList())
            {
                observed.Remove(gone);
            }

            return taken;
        }
        finally
        {
            scanning.Release();
        }
    }

    internal static bool Ignored(string name) =>
        name.StartsWith('.') || IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>A done marker, or the same size and time stamp for the stable period (the first sighting starts the period).</summary>
    private bool IsComplete(string path)
    {
        if (File.Exists(path + DoneMarker))
        {
            return true;
        }

        FileInfo info;
        try
        {
            info = new FileInfo(path);
            _ = info.Length;
        }
        catch (IOException)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var current = new Observation(info.Length, info.LastWriteTimeUtc, now);
        if (!observed.TryGetValue(path, out var previous) || previous.Size != current.Size || previous.LastWrite != current.LastWrite)
        {
            observed[path] = current;
            return settings.StableSeconds == 0;
        }

        return now - previous.Since >= TimeSpan.FromSeconds(settings.StableSeconds);
    }

    private async Task<DropFolderPickup?> TakeAsync(string dealerFolder, string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        try
        {
            ImportFile file;
            await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                var request = new ImportRequest(dealerFolder, FileType: null, ProfileName: null, name, ImportChannel.DropFolder, $"sftp:{dealerFolder}");
                file = await intake.ReceiveAsync(request, content, cancellationToken);
            }

            // The audit row is committed: only now may the delivery disappear from the drop folder.
            File.Delete(path);
            File.Delete(path + DoneMarker);
            observed.Remove(path);
            LogTaken(logger, name, dealerFolder, file.Id, file.Status);
            return new DropFolderPickup(path, dealerFolder, file, null);
        }
        catch (DomainException ex)
        {
            var stored = await intake.RejectDeliveryAsync(dealerFolder, path, ex.Message, cancellationToken);
            File.Delete(path + DoneMarker);
            observed.Remove(path);
            LogRejected(logger, name, dealerFolder, stored, ex.Message);
            return new DropFolderPickup(path, dealerFolder, null, ex.Message);
        }
        catch (IOException ex)
        {
            // Still being written, locked or gone: the next scan looks again.
            LogBusy(logger, name, dealerFolder, ex.Message);
            return null;
        }
    }

    private readonly record struct Observation(long Size, DateTime LastWrite, DateTimeOffset Since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drop folder: took {Name} of {Dealer} as import {Id} ({Status}).")]
    private static partial void LogTaken(ILogger logger, string name, string dealer, long id, ImportStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drop folder: {Name} of {Dealer} refused and moved to the failed folder as {Stored}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string name, string dealer, string stored, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drop folder: {Name} of {Dealer} not taken yet: {Reason}")]
    private static partial void LogBusy(ILogger logger, string name, string dealer, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drop folder scan failed; the next scan tries again.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
