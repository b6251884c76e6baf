using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>A staged row to merge, with what the key map holds for its key (null: a new key).</summary>
internal sealed record MergeItem(StagedRow Row, KnownRecord? Record);

/// <summary>What merging one row did: the CRM record its key stands for, and whether that record is new.</summary>
internal readonly record struct RowOutcome(Entity Entity, bool Inserted);

/// <summary>
/// Base of the mergers that write through EF Core: the files whose rows touch several records under the model's
/// rules (relationships, plates, mileage, the customer's payment method). A batch is prepared with one look-up per
/// kind of reference (<see cref="PrepareAsync"/>), each row is merged on tracked entities (<see cref="MergeRow"/>,
/// which checks everything before it changes anything and throws <see cref="RowRejectedException"/> for a row it
/// refuses), and the batch is saved by <see cref="TrackedInserts"/>: new rows through the bulk writer, changes to
/// existing rows through one SaveChanges (save rules, timestamps, audit and wholesale sync apply). The key map is
/// written after the save, when the new records have ids. <see cref="EfChunkScope"/> falls back to row
/// by row when the batch cannot be saved.
/// </summary>
internal abstract class EfMerger(ImportFileType fileType) : IDmsMerger
{
    public ImportFileType FileType { get; } = fileType;

    protected FieldLayout Layout { get; } = FieldLayout.For(fileType);

    protected abstract Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken);

    protected abstract RowOutcome MergeRow(MergeSession session, MergeItem item);

    public async Task<MergeResult> MergeAsync(CrmDbContext db, MergeChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.FileType != FileType)
        {
            throw new ArgumentException($"A {chunk.FileType} chunk cannot be merged as {FileType}.", nameof(chunk));
        }

        MergeSql.Transaction(db);
        chunk.Lap("ef.start");
        var tally = new MergeTally();
        var carried = await CarriedFields.LoadAsync(db, chunk.ImportFileId, Layout, cancellationToken);
        var parser = new PayloadParser();
        var rows = new List<StagedRow>(chunk.Rows.Count);
        foreach (var staged in chunk.Rows)
        {
            try
            {
                rows.Add(new StagedRow(staged, Layout, parser.Parse(staged.Payload, Layout)));
            }
            catch (RowRejectedException e)
            {
                tally.Reject(staged.LineNumber, e.Column, e.Message);
            }
        }

        chunk.Lap("ef.parse");
        var known = await DmsRecordStore.LoadAsync(db, chunk.Target.DealerId, FileType, rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal), cancellationToken);
        var work = new List<MergeItem>(rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var record = known.GetValueOrDefault(row.Key);
            if (!seen.Add(row.Key))
            {
                tally.Reject(row.LineNumber, Layout.Spec.KeyField, $"{Layout.Spec.KeyField} {row.Key} appears twice in the chunk.");
            }
            else if (record is not null && MergeTally.SameHash(record.RowHash, row.Hash))
            {
                tally.Same(row.LineNumber, row.Key);
            }
            else
            {
                work.Add(new MergeItem(row, record));
            }
        }

        var (inserted, updated, rejects) = await new EfChunkScope(db).RunAsync(work,
            (batch, rowRejects) => MergeBatchAsync(db, chunk, carried, batch, rowRejects, cancellationToken),
            item => item.Row.LineNumber, cancellationToken);
        for (var i = 0; i < inserted; i++)
        {
            tally.Insert();
        }

        for (var i = 0; i < updated; i++)
        {
            tally.Update();
        }

        foreach (var reject in rejects)
        {
            tally.Reject(reject.LineNumber, reject.Column, reject.Reason);
        }

        return tally.ToResult();
    }

    private async Task<(int Inserted, int Updated)> MergeBatchAsync(CrmDbContext db, MergeChunk chunk, bool[] carried,
        IReadOnlyList<MergeItem> batch, RowRejects<MergeItem> rejects, CancellationToken cancellationToken)
    {
        var session = new MergeSession(db, chunk, carried, Layout);
        chunk.Lap("ef.lookup");
        await PrepareAsync(session, batch, cancellationToken);
        chunk.Lap("ef.prepare");
        var done = new List<(MergeItem Item, RowOutcome Outcome)>(batch.Count);
        foreach (var item in batch)
        {
            try
            {
                done.Add((item, MergeRow(session, item)));
            }
            catch (RowRejectedException e)
            {
                rejects.Add(item, e.Column, e.Message);
            }
        }

        chunk.Lap("ef.rows");
        await TrackedInserts.SaveAsync(db, session.Now, cancellationToken);
        chunk.Lap("ef.save");

        var newRecords = new List<DmsRecord>();
        var changed = new List<(long Id, long EntityId, string RowHash)>();
        foreach (var (item, outcome) in done)
        {
            if (item.Record is null)
            {
                newRecords.Add(new DmsRecord
                {
                    DealerId = chunk.Target.DealerId,
                    DealerGroupId = chunk.Target.DealerGroupId,
                    RecordType = FileType,
                    DmsRecordId = item.Row.Key,
                    EntityId = outcome.Entity.Id,
                    RowHash = item.Row.Hash,
                    SourceFileId = chunk.ImportFileId,
                    UpdatedAt = session.Now,
                });
            }
            else
            {
                changed.Add((item.Record.Id, outcome.Entity.Id, item.Row.Hash));
            }
        }

        await using (var writer = BulkWriter.Create(db))
        {
            await DmsRecordStore.InsertAsync(db, writer, newRecords, cancellationToken);
        }

        await DmsRecordStore.UpdateAsync(db, changed, chunk.ImportFileId, session.Now, cancellationToken);
        chunk.Lap("ef.dmsrecords");
        var inserted = done.Count(d => d.Outcome.Inserted);
        return (inserted, done.Count - inserted);
    }
}
