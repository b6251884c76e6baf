using System.Data.Common;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>Rows a merge step refused, collected for one attempt.</summary>
internal sealed class RowRejects<TRow>(Func<TRow, long> lineOf)
{
    public List<MergeReject> Items { get; } = [];

    public void Add(TRow row, string? column, string reason) => Items.Add(new MergeReject(lineOf(row), column, reason));
}

/// <summary>
/// Runs an EF Core merge step over a chunk's rows inside a savepoint of the caller's transaction. The whole chunk is
/// tried at once (one SaveChanges); when the save fails (a rule of the model, a constraint, a concurrent change),
/// the savepoint is rolled back and the rows are retried one by one, each in a savepoint of its own, so that one bad
/// row is rejected with the reason and the others still merge: nothing is half-imported. The entities the step
/// tracked are detached afterwards, so the caller's context stays as lean as it came.
/// </summary>
internal sealed class EfChunkScope(CrmDbContext db)
{
    /// <summary>
    /// Runs <paramref name="merge"/> (which loads what it needs, merges, saves, and returns how many rows it
    /// inserted and updated) over all rows, or row by row when that fails.
    /// </summary>
    public async Task<(int Inserted, int Updated, List<MergeReject> Rejects)> RunAsync<TRow>(IReadOnlyList<TRow> rows,
        Func<IReadOnlyList<TRow>, RowRejects<TRow>, Task<(int Inserted, int Updated)>> merge, Func<TRow, long> lineOf,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return (0, 0, []);
        }

        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The merge runs inside the caller's transaction: begin one on the context before merging a chunk.");
        var before = db.ChangeTracker.Entries()
            .Select(e => (e.Entity, e.State, e.State == EntityState.Modified ? e.OriginalValues.Clone() : null))
            .ToList();
        try
        {
            var rejects = new RowRejects<TRow>(lineOf);
            await transaction.CreateSavepointAsync("dms_merge_chunk", cancellationToken);
            try
            {
                var (inserted, updated) = await merge(rows, rejects);
                await transaction.ReleaseSavepointAsync("dms_merge_chunk", cancellationToken);
                return (inserted, updated, rejects.Items);
            }
            catch (Exception e) when (IsRowProblem(e))
            {
                await transaction.RollbackToSavepointAsync("dms_merge_chunk", cancellationToken);
                Detach(before);
            }

            var totalInserted = 0;
            var totalUpdated = 0;
            var all = new List<MergeReject>();
            foreach (var row in rows)
            {
                var rowRejects = new RowRejects<TRow>(lineOf);
                await transaction.CreateSavepointAsync("dms_merge_row", cancellationToken);
                try
                {
                    var (inserted, updated) = await merge([row], rowRejects);
                    totalInserted += inserted;
                    totalUpdated += updated;
                    await transaction.ReleaseSavepointAsync("dms_merge_row", cancellationToken);
                    all.AddRange(rowRejects.Items);
                }
                catch (Exception e) when (IsRowProblem(e))
                {
                    await transaction.RollbackToSavepointAsync("dms_merge_row", cancellationToken);
                    Detach(before);
                    all.Add(new MergeReject(lineOf(row), e is RowRejectedException r ? r.Column : null, Reason(e)));
                }
            }

            return (totalInserted, totalUpdated, all);
        }
        finally
        {
            Detach(before);
        }
    }

    /// <summary>
    /// Failures that belong to the data of a row: a rule of the model, a constraint the database enforces (from a
    /// save or from the bulk writer). A transient database error (a lock, a dropped connection) and anything else
    /// (a bug) propagate: the caller's transaction fails and the chunk is merged again later, never half.
    /// </summary>
    private static bool IsRowProblem(Exception e) => e switch
    {
        DomainException or RowRejectedException => true,
        DbUpdateException { InnerException: DbException inner } => !inner.IsTransient,
        DbUpdateException => true,
        DbException db => !db.IsTransient,
        _ => false,
    };

    private static string Reason(Exception e) => e switch
    {
        DbUpdateConcurrencyException => "The record was changed by someone else while the row was merged; import the file again.",
        DbUpdateException u => "The database refused the row: " + (u.InnerException?.Message ?? u.Message),
        DbException db => "The database refused the row: " + db.Message,
        _ => e.Message,
    };

    /// <summary>
    /// Forgets what the merge tracked: the change tracker is cleared and whatever the caller was tracking before the
    /// merge is attached again in its state (with its original values). Clearing, rather than detaching entries one
    /// by one, is what leaves the identity map clean after a failed save, whose generated keys EF Core may already
    /// have propagated.
    /// </summary>
    private void Detach(List<(object Entity, EntityState State, PropertyValues? Original)> keep)
    {
        db.ChangeTracker.Clear();
        foreach (var (entity, state, original) in keep)
        {
            var entry = db.Entry(entity);
            entry.State = state == EntityState.Modified ? EntityState.Unchanged : state;
            if (state == EntityState.Modified && original is not null)
            {
                entry.OriginalValues.SetValues(original);
                foreach (var property in entry.Properties)
                {
                    property.IsModified = !Equals(property.OriginalValue, property.CurrentValue);
                }
            }
        }
    }
}
