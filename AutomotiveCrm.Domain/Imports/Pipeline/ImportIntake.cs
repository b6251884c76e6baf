using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>
/// Step 1 of the pipeline: stores a delivered file under its timestamped name while computing its SHA-256 and size,
/// and records it in the file audit (status Received, or Refused when the same content was already imported for the
/// dealer and type). Processing is the <see cref="ImportProcessor"/>'s (the web app's worker picks Received files up).
/// </summary>
/// <remarks>
/// A file whose profile is missing or unusable is still recorded, as Failed with the reason, and kept in the failed
/// folder: the systems team sees the delivery and can reprocess it once the profile is corrected. An unknown dealer
/// code is refused outright (there is no dealer to record the file against).
/// </remarks>
public sealed class ImportIntake(ISystemDbContextFactory contexts, ImportSettings settings, TimeProvider clock, IImportNotifier? notifier = null)
{
    private readonly ImportStore store = new(settings);

    public async Task<ImportFile> ReceiveAsync(ImportRequest request, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var originalName = ImportNotices.Truncate(string.IsNullOrWhiteSpace(request.OriginalName) ? "file" : request.OriginalName.Trim(), 260);
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var dealer = await FindDealerAsync(db, request.DealerCode, originalName, cancellationToken);
        var resolution = await ImportProfileResolution.ResolveAsync(db, dealer, request.FileType, request.ProfileName, originalName, cancellationToken);

        var stored = await ImportStore.WriteTempAsync(content, store.ReceivedFolder, cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var earlier = await db.ImportFiles.AsNoTracking()
                .Where(f => f.DealerId == dealer.Id && f.FileType == resolution.FileType && f.Sha256 == stored.Sha256
                    && f.Status != ImportStatus.Failed && f.Status != ImportStatus.Refused)
                .OrderBy(f => f.Id)
                .ToListAsync(cancellationToken);
            if (earlier.FirstOrDefault(f => f.Status == ImportStatus.Completed) is { } completed)
            {
                File.Delete(stored.TempPath);
                var refused = NewFile(dealer, resolution, originalName, await UniqueStoredNameAsync(db, originalName, now, cancellationToken),
                    stored, request.Channel, request.DeliveredBy, now);
                refused.Status = ImportStatus.Refused;
                refused.CompletedAt = now;
                refused.StatusReason = string.Create(CultureInfo.InvariantCulture,
                    $"The same content (SHA-256 {stored.Sha256}) was already imported for dealer {dealer.Code} as {ImportNotices.Describe(resolution.FileType)} file {completed.Id} ('{completed.OriginalName}', completed {completed.CompletedAt ?? completed.ReceivedAt:yyyy-MM-dd HH:mm} UTC): nothing was imported. Reprocess file {completed.Id} to import it again.");
                db.ImportFiles.Add(refused);
                await db.SaveChangesAsync(cancellationToken);
                await ImportNotices.TellAsync(notifier, refused, dealer.Code, cancellationToken);
                return refused;
            }

            if (earlier.FirstOrDefault(f => f.Status is not ImportStatus.Completed) is { } unfinished)
            {
                // The same delivery again while the first is unfinished (typically a command line run after a crash):
                // the caller resumes that file instead of starting a second copy of it.
                File.Delete(stored.TempPath);
                return unfinished;
            }

            var storedName = await UniqueStoredNameAsync(db, originalName, now, cancellationToken);
            var file = NewFile(dealer, resolution, originalName, storedName, stored, request.Channel, request.DeliveredBy, now);
            return await RecordAsync(db, file, dealer, resolution.Problem, stored, cancellationToken);
        }
        finally
        {
            File.Delete(stored.TempPath);
        }
    }

    /// <summary>Imports an earlier file's original again with the current profile (after a profile correction).</summary>
    /// <remarks>The explicit way past the SHA-256 refusal: the new file records which file it reprocesses.</remarks>
    public async Task<ImportFile> ReprocessAsync(long importFileId, string deliveredBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveredBy);
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var original = await db.ImportFiles.AsNoTracking().Include(f => f.Dealer).ThenInclude(d => d!.DealerGroup).Include(f => f.Profile)
            .FirstOrDefaultAsync(f => f.Id == importFileId, cancellationToken)
            ?? throw RecordNotFoundException.For<ImportFile>(importFileId);
        var dealer = original.Dealer!;
        if (original.Status is not (ImportStatus.Completed or ImportStatus.Failed))
        {
            throw new DomainException(original.Status == ImportStatus.Refused
                ? string.Create(CultureInfo.InvariantCulture, $"Import {original.Id} was refused and its content not kept: reprocess the file it repeats ({original.StatusReason})")
                : string.Create(CultureInfo.InvariantCulture, $"Import {original.Id} is still being processed ({original.Status}): it can be reprocessed once it has completed or failed."));
        }

        // The profile as it is now: the same profile (corrected) when it is still active, else whatever the
        // catalogue resolves for the dealer and type today.
        var profileName = original.Profile is { IsActive: true } profile ? profile.Name : null;
        var resolution = await ImportProfileResolution.ResolveAsync(db, dealer, original.FileType, profileName, original.OriginalName, cancellationToken);

        StoredContent stored;
        await using (var source = store.Open(original)
            ?? throw new DomainException(string.Create(CultureInfo.InvariantCulture,
                $"The original of import {original.Id} ('{original.OriginalName}') is no longer in the import store: it cannot be reprocessed.")))
        {
            stored = await ImportStore.WriteTempAsync(source, store.ReceivedFolder, cancellationToken);
        }

        try
        {
            if (!string.Equals(stored.Sha256, original.Sha256, StringComparison.Ordinal))
            {
                throw new DomainException(string.Create(CultureInfo.InvariantCulture,
                    $"The stored original of import {original.Id} does not match its recorded SHA-256 (stored {stored.Sha256}, recorded {original.Sha256}): it was not reprocessed."));
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var storedName = await UniqueStoredNameAsync(db, original.OriginalName, now, cancellationToken);
            var file = NewFile(dealer, resolution, original.OriginalName, storedName, stored, original.Channel, deliveredBy, now);
            file.ReprocessOfId = original.Id;
            return await RecordAsync(db, file, dealer, resolution.Problem, stored, cancellationToken);
        }
        finally
        {
            File.Delete(stored.TempPath);
        }
    }

    /// <summary>Opens the stored original (received, failed or archived) for download; null when it is gone.</summary>
    public Stream? OpenOriginal(ImportFile file) => store.Open(file);

    /// <summary>
    /// A drop-folder file that cannot be recorded as an import (its folder names no dealer, or no profile recognises
    /// its name): moved whole to the failed folder under a timestamped name, with an in-app notice to the systems team
    /// (the dealer's group's when the dealer is known, else every network's). Returns the name it was stored under.
    /// </summary>
    public async Task<string> RejectDeliveryAsync(string dealerFolder, string sourcePath, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        var name = Path.GetFileName(sourcePath);
        var now = clock.GetUtcNow().UtcDateTime;
        Directory.CreateDirectory(store.FailedFolder);
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var storedName = await UniqueStoredNameAsync(db, name, now, cancellationToken);
        File.Move(sourcePath, store.FailedPath(storedName), overwrite: false);
        var code = dealerFolder?.Trim() ?? "";
        var dealer = code.Length == 0 ? null
            : await db.Dealers.AsNoTracking().Include(d => d.DealerGroup).FirstOrDefaultAsync(d => d.Code == code, cancellationToken);
        await ImportNotices.RecordRejectedDeliveryAsync(db, dealer?.DealerGroup?.NetworkId, dealer?.DealerGroupId,
            $"Drop-folder file refused: {name} ({ImportNotices.Truncate(code, 40)})",
            string.Create(CultureInfo.InvariantCulture,
                $"The file '{name}' delivered to the drop folder '{ImportNotices.Truncate(code, 40)}' at {now:yyyy-MM-dd HH:mm} UTC was not imported: {reason} It was moved to the failed folder as '{storedName}'."),
            now, cancellationToken);
        return storedName;
    }

    /// <summary>The dealer a delivery names, or a clear refusal.</summary>
    internal static async Task<Dealer> FindDealerAsync(CrmDbContext db, string? dealerCode, string fileName, CancellationToken cancellationToken)
    {
        var code = dealerCode?.Trim() ?? "";
        if (code.Length == 0)
        {
            throw new DomainException($"The file '{fileName}' names no dealer: give the dealer's code.");
        }

        return await db.Dealers.AsNoTracking().Include(d => d.DealerGroup).FirstOrDefaultAsync(d => d.Code == code, cancellationToken)
            ?? throw new DomainException($"No dealer has the code '{ImportNotices.Truncate(code, 40)}': the file '{fileName}' was not imported.");
    }

    private async Task<ImportFile> RecordAsync(CrmDbContext db, ImportFile file, Dealer dealer, string? profileProblem, StoredContent stored,
        CancellationToken cancellationToken)
    {
        if (profileProblem is null)
        {
            ImportStore.Commit(stored, store.ReceivedFolder, file.StoredName);
            db.ImportFiles.Add(file);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch
            {
                // Not recorded: nothing may stay in the store under a name the audit does not know.
                File.Delete(store.ReceivedPath(file.StoredName));
                throw;
            }

            return file;
        }

        // Recorded and kept, but failed: the profile must be fixed first (then the file is reprocessed).
        ImportStore.Commit(stored, store.FailedFolder, file.StoredName);
        file.Status = ImportStatus.Failed;
        file.StatusReason = ImportNotices.Truncate(profileProblem, 2000);
        file.CompletedAt = file.ReceivedAt;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.ImportFiles.Add(file);
            await db.SaveChangesAsync(cancellationToken);
            db.SystemNotifications.Add(ImportNotices.ForFailedFile(file, dealer.Code, file.ReceivedAt));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await ImportNotices.TellAsync(notifier, file, dealer.Code, cancellationToken);
        return file;
    }

    private static ImportFile NewFile(Dealer dealer, ImportProfileResolution resolution, string originalName, string storedName,
        StoredContent stored, ImportChannel channel, string deliveredBy, DateTime now) => new()
    {
        NetworkId = dealer.DealerGroup!.NetworkId,
        DealerGroupId = dealer.DealerGroupId,
        DealerId = dealer.Id,
        FileType = resolution.FileType,
        ProfileId = resolution.Profile?.Id,
        OriginalName = originalName,
        StoredName = storedName,
        SizeBytes = stored.SizeBytes,
        Sha256 = stored.Sha256,
        Channel = channel,
        DeliveredBy = ImportNotices.Truncate(string.IsNullOrWhiteSpace(deliveredBy) ? "unknown" : deliveredBy.Trim(), 260),
        Status = ImportStatus.Received,
        ReceivedAt = now,
    };

    /// <summary>
    /// The timestamped stored name, made unique: two deliveries of the same name within a millisecond (or under a
    /// clock that stands still, in tests) move on a millisecond until neither the audit nor the store knows the name.
    /// </summary>
    private async Task<string> UniqueStoredNameAsync(CrmDbContext db, string originalName, DateTime now, CancellationToken cancellationToken)
    {
        for (var at = now; ; at = at.AddMilliseconds(1))
        {
            var name = ImportStore.StoredName(originalName, at);
            if (!File.Exists(store.ReceivedPath(name)) && !File.Exists(store.FailedPath(name))
                && !await db.ImportFiles.AnyAsync(f => f.StoredName == name, cancellationToken))
            {
                return name;
            }
        }
    }
}
