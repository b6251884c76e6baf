using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

/// <summary>
/// Merges, links and undoes inside the caller's context (see <see cref="IRecordMerger"/>). Each call is one
/// transaction (the caller's, when it has one open). Tracked changes are audited by the context; rows moved by bulk
/// statements (append-only history: consents, mileage readings, audit rows; the import key map; wholesale links)
/// get audit rows written here, and every merge gets one row on the survivor's history naming the merged record,
/// the score and who decided. All rows of one merge share a correlation id and the source <see cref="AuditSource.Merge"/>.
/// </summary>
/// <remarks>
/// Rows the merge has to delete (an overlapping relationship absorbed by the survivor's, a wholesale record left
/// without retail records) are kept in full in the snapshot and re-inserted with their own ids on undo, so every
/// id that pointed at them before the merge points at them again.
/// </remarks>
public sealed partial class RecordMerger(TimeProvider clock) : IRecordMerger
{
    private static readonly string[] LiveOff = [CrmDbContext.LiveFilter];

    /// <summary>Runs one operation in a transaction with the merge's audit actor; failures roll back and leave the context clean.</summary>
    private async Task<MergeOutcome> RunAsync(CrmDbContext db, string operation, Func<MergeWork, Task<MergeOutcome>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var actor = db.Actor;
        var correlation = $"{operation}-{Guid.NewGuid():N}";
        db.Actor = actor with { Source = AuditSource.Merge, CorrelationId = correlation };
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var outcome = await work(new MergeWork(db, actor, correlation, clock.GetUtcNow().UtcDateTime));
            if (own is not null)
            {
                if (outcome.Succeeded)
                {
                    await own.CommitAsync(cancellationToken);
                }
                else
                {
                    await own.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                }
            }

            return outcome;
        }
        catch (Exception ex) when (own is not null && ex is DbUpdateConcurrencyException or DomainException)
        {
            await own.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return MergeOutcome.Refused(ex is DomainException ? ex.Message : MergeErrors.DecidedMeanwhile);
        }
        catch when (own is not null)
        {
            await own.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.Actor = actor;
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Takes the candidate for this decision: its version must still be the one the decider saw, and the version is
    /// bumped at once (a conditional update, so of two concurrent deciders exactly one gets it; on SQLite the merge's
    /// transaction already holds the write lock, on PostgreSQL the row lock makes the second wait and then miss).
    /// </summary>
    private static async Task<(MatchCandidate? Candidate, string? Error)> ClaimCandidateAsync(CrmDbContext db, MergeRequest request,
        DedupEntityKind kind, CancellationToken cancellationToken)
    {
        if (request.CandidateId is not { } id)
        {
            return (null, null);
        }

        var candidate = await db.MatchCandidates.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (candidate is null)
        {
            return (null, $"Candidate {id} was not found.");
        }

        var pair = (Math.Min(request.SurvivorId, request.MergedId), Math.Max(request.SurvivorId, request.MergedId));
        if (candidate.EntityKind != kind || (candidate.LeftId, candidate.RightId) != pair)
        {
            return (null, $"Candidate {id} is not the pair {request.SurvivorId} and {request.MergedId}.");
        }

        if (request.CandidateVersion is { } expected && expected != candidate.Version)
        {
            return (null, MergeErrors.DecidedMeanwhile);
        }

        if (candidate.Status is CandidateStatus.Merged or CandidateStatus.Linked or CandidateStatus.Superseded)
        {
            return (null, $"This pair was already decided ({candidate.Status}).");
        }

        var claimed = await db.MatchCandidates.Where(c => c.Id == id && c.Version == candidate.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        if (claimed == 0)
        {
            return (null, MergeErrors.DecidedMeanwhile);
        }

        candidate.Version++;
        return (candidate, null);
    }

    /// <summary>Writes the <see cref="RecordMerge"/> row, then marks the candidate decided and supersedes the others.</summary>
    private static async Task<RecordMerge> RecordAsync(MergeWork work, MergeRequest request, MatchCandidate? claimed, CandidateStatus decided,
        RecordMerge merge, MergeSnapshot snapshot, List<long> supersededIds, CancellationToken cancellationToken)
    {
        var db = work.Db;
        MatchCandidate? candidate = null;
        if (claimed is not null)
        {
            candidate = await db.MatchCandidates.IgnoreQueryFilters().FirstAsync(c => c.Id == claimed.Id, cancellationToken);
            // The caller's context may already track the candidate (a run that just wrote it): the claim changed its
            // version behind the tracker's back, so read it again before changing it.
            await db.Entry(candidate).ReloadAsync(cancellationToken);
            snapshot.Candidate = new CandidateState(candidate.Id, candidate.Status, candidate.Band, candidate.DecidedAt, candidate.DecidedBy, candidate.MergeId);
        }

        var superseded = supersededIds.Count == 0
            ? []
            : await db.MatchCandidates.IgnoreQueryFilters().Where(c => supersededIds.Contains(c.Id)).ToListAsync(cancellationToken);
        snapshot.Superseded = superseded.Select(c => new CandidateState(c.Id, c.Status, c.Band, c.DecidedAt, c.DecidedBy, c.MergeId)).ToList();

        merge.SnapshotJson = snapshot.ToJson();
        db.RecordMerges.Add(merge);
        await db.SaveChangesAsync(cancellationToken);

        if (candidate is not null)
        {
            candidate.Status = decided;
            candidate.DecidedAt = work.Now;
            candidate.DecidedBy = work.Actor.UserName;
            candidate.MergeId = merge.Id;
            candidate.UpdatedAt = work.Now;
            candidate.Version++;
        }

        foreach (var other in superseded)
        {
            other.Status = CandidateStatus.Superseded;
            other.DecidedAt = work.Now;
            other.DecidedBy = work.Actor.UserName;
            other.MergeId = merge.Id;
            other.UpdatedAt = work.Now;
            other.Version++;
        }

        _ = request;
        return merge;
    }

    /// <summary>The open (or skipped) candidates of a record that a merge makes pointless: the record is gone.</summary>
    private static Task<List<long>> OpenCandidatesOfAsync(CrmDbContext db, DedupEntityKind kind, long recordId, long? except,
        CancellationToken cancellationToken) =>
        db.MatchCandidates.IgnoreQueryFilters()
            .Where(c => c.EntityKind == kind && (c.LeftId == recordId || c.RightId == recordId) && c.Id != (except ?? 0)
                && (c.Status == CandidateStatus.Open || c.Status == CandidateStatus.Skipped))
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);

    /// <summary>An audit row written by the merge itself (bulk moves and the merge's own entry).</summary>
    private static void Audit(MergeWork work, string entityType, string entityKey, AuditAction action, IDictionary<string, string?[]> changes,
        long? networkId, long? groupId, long? customerId = null, long? vehicleId = null)
    {
        work.Db.AuditEntries.Add(new AuditEntry
        {
            At = work.Now,
            UserId = work.Actor.UserId,
            UserName = work.Actor.UserName,
            Source = AuditSource.Merge,
            CorrelationId = work.Correlation,
            EntityType = entityType,
            EntityKey = entityKey,
            Action = action,
            Changes = JsonSerializer.Serialize(new SortedDictionary<string, string?[]>(changes, StringComparer.Ordinal)),
            NetworkId = networkId,
            DealerGroupId = groupId,
            CustomerId = customerId,
            VehicleId = vehicleId,
        });
    }

    private static void AuditMoves(MergeWork work, string entityType, string column, IEnumerable<long> ids, long from, long to, long? networkId,
        long? groupId, Func<long, (long? CustomerId, long? VehicleId)> subject)
    {
        foreach (var id in ids)
        {
            var (customerId, vehicleId) = subject(id);
            Audit(work, entityType, Key(id), AuditAction.Update, new Dictionary<string, string?[]> { [column] = [Key(from), Key(to)] },
                networkId, groupId, customerId, vehicleId);
        }
    }

    /// <summary>
    /// Saves entities added with their old ids. SQLite and PostgreSQL (identity "by default") take explicit keys as
    /// they are; SQL Server needs IDENTITY_INSERT for the table, which only one table of a session may have at a time.
    /// </summary>
    private static async Task SaveWithExplicitKeysAsync(CrmDbContext db, string table, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.SqlServer)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // The table name is one of this class's constants, never input: a raw statement is safe here.
        var on = "SET IDENTITY_INSERT \"" + table + "\" ON";
        var off = "SET IDENTITY_INSERT \"" + table + "\" OFF";
        await db.Database.ExecuteSqlRawAsync(on, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync(off, CancellationToken.None);
        }
    }

    /// <summary>
    /// A merge can only be undone while no later merge or link involves either of its records: that later one moved
    /// rows onward and must be undone first (newest first, like an editor's undo).
    /// </summary>
    private static async Task<string?> LaterMergeAsync(CrmDbContext db, RecordMerge merge, CancellationToken cancellationToken)
    {
        var ids = new[] { merge.SurvivorId, merge.MergedId };
        var later = await db.RecordMerges.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Id > merge.Id && m.EntityKind == merge.EntityKind && m.UndoneAt == null
                && (ids.Contains(m.SurvivorId) || ids.Contains(m.MergedId)))
            .OrderByDescending(m => m.Id)
            .Select(m => new { m.Id, m.Level })
            .FirstOrDefaultAsync(cancellationToken);
        return later is null
            ? null
            : $"A later {(later.Level == DedupLevel.Wholesale ? "wholesale link" : "merge")} ({later.Id}) involves these records: undo it first.";
    }

    public async Task<MergeOutcome> UndoAsync(CrmDbContext db, long mergeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await RunAsync(db, "undo", async work =>
        {
            // Found through the caller's scope: another group's merge behaves as a missing one.
            var merge = await db.RecordMerges.FirstOrDefaultAsync(m => m.Id == mergeId, cancellationToken);
            if (merge is null)
            {
                return MergeOutcome.Refused($"Merge {mergeId} was not found.");
            }

            if (merge.UndoneAt is not null)
            {
                return MergeOutcome.Refused($"Merge {mergeId} was already undone.");
            }

            if (await LaterMergeAsync(db, merge, cancellationToken) is { } later)
            {
                return MergeOutcome.Refused(later);
            }

            var snapshot = MergeSnapshot.FromJson(merge.SnapshotJson);
            var error = (merge.EntityKind, merge.Level) switch
            {
                (DedupEntityKind.Vehicle, _) => await UndoVehicleMergeAsync(work, merge, snapshot, cancellationToken),
                (_, DedupLevel.Wholesale) => await UndoLinkAsync(work, merge, snapshot, cancellationToken),
                _ => await UndoCustomerMergeAsync(work, merge, snapshot, cancellationToken),
            };
            if (error is not null)
            {
                return MergeOutcome.Refused(error);
            }

            await RestoreCandidatesAsync(work, snapshot, cancellationToken);
            merge.UndoneAt = work.Now;
            merge.UndoneBy = work.Actor.UserName;
            await db.SaveChangesAsync(cancellationToken);
            return MergeOutcome.Done(merge.Id);
        }, cancellationToken);
    }

    /// <summary>
    /// The decided candidate goes back to the queue as Open in the review band (never back to the automatic band:
    /// an undone automatic merge needs a person, or the next run would merge it again); superseded ones as they were.
    /// </summary>
    private static async Task RestoreCandidatesAsync(MergeWork work, MergeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var states = snapshot.Superseded.ToDictionary(s => s.Id);
        var ids = states.Keys.ToList();
        if (snapshot.Candidate is { } decided)
        {
            ids.Add(decided.Id);
        }

        var candidates = await work.Db.MatchCandidates.IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            if (snapshot.Candidate is { } state && candidate.Id == state.Id)
            {
                candidate.Status = CandidateStatus.Open;
                candidate.Band = MatchBand.Review;
                candidate.DecidedAt = null;
                candidate.DecidedBy = null;
                candidate.MergeId = null;
            }
            else if (states.TryGetValue(candidate.Id, out var before) && candidate.Status == CandidateStatus.Superseded)
            {
                candidate.Status = before.Status;
                candidate.DecidedAt = before.DecidedAt;
                candidate.DecidedBy = before.DecidedBy;
                candidate.MergeId = before.MergeId;
            }
            else
            {
                continue;
            }

            candidate.UpdatedAt = work.Now;
            candidate.Version++;
        }
    }

    internal static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    internal static string? Text(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The context and the facts every step of one operation shares.</summary>
    private sealed record MergeWork(CrmDbContext Db, AuditActor Actor, string Correlation, DateTime Now)
    {
        /// <summary>Consent statements the merge appended (their ids are known after the save, for the snapshot).</summary>
        public List<Consents.ConsentRecord> AddedConsents { get; } = [];
    }
}
