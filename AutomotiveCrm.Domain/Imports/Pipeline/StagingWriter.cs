using System.Data;
using System.Text;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>
/// Writes staging batches of one file inside the transaction the caller has open on the context's connection,
/// with each provider's fast path: prepared statements on SQLite, binary COPY on PostgreSQL, SqlBulkCopy on
/// SQL Server. A record key seen earlier in the file is not staged again: the row goes to the duplicates table
/// (RepeatedInFile) with the line of the row that was kept.
/// </summary>
internal abstract class StagingWriter : IDisposable
{
    protected StagingWriter(long importFileId) => ImportFileId = importFileId;

    protected long ImportFileId { get; }

    /// <summary>The writer for the context's provider; the context's connection must be open and stay open.</summary>
    public static StagingWriter Create(CrmDbContext db, long importFileId) => db.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteStagingWriter((SqliteConnection)db.Database.GetDbConnection(), importFileId),
        DatabaseProvider.PostgreSql => new PostgresStagingWriter(db, importFileId),
        DatabaseProvider.SqlServer => new SqlServerStagingWriter(db, importFileId),
        _ => throw new NotSupportedException($"No staging writer for {db.Provider}."),
    };

    /// <summary>Writes the batch's staged rows, rejects and in-file duplicates; returns how many rows were duplicates.</summary>
    public abstract Task<int> WriteAsync(StagingBatch batch, CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>
/// SQLite: prepared statements bound per row. The unique index on (file, record key) finds the repeats itself
/// (<c>ON CONFLICT DO NOTHING</c>, then the kept row's line is looked up), so no key set is held in memory
/// however large the file.
/// </summary>
internal sealed class SqliteStagingWriter : StagingWriter
{
    private readonly SqliteStatement insert;
    private readonly SqliteStatement firstLine;
    private readonly SqliteStatement reject;
    private readonly SqliteStatement duplicate;

    public SqliteStagingWriter(SqliteConnection connection, long importFileId)
        : base(importFileId)
    {
        insert = new SqliteStatement(connection,
            """INSERT INTO "ImportStaging" ("ImportFileId", "LineNumber", "RecordKey", "RowHash", "Payload") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT ("ImportFileId", "RecordKey") DO NOTHING""");
        firstLine = new SqliteStatement(connection, """SELECT "LineNumber" FROM "ImportStaging" WHERE "ImportFileId" = ?1 AND "RecordKey" = ?2""");
        reject = new SqliteStatement(connection, ImportRowSql.InsertReject('?'));
        duplicate = new SqliteStatement(connection, ImportRowSql.InsertDuplicate('?'));
    }

    public override Task<int> WriteAsync(StagingBatch batch, CancellationToken cancellationToken)
    {
        var duplicates = 0;
        foreach (var row in batch.Rows)
        {
            insert.Bind(1, ImportFileId);
            insert.Bind(2, row.LineNumber);
            insert.Bind(3, row.RecordKey);
            insert.Bind(4, row.RowHash);
            insert.Bind(5, batch.Payload(row));
            if (insert.Execute() == 0)
            {
                firstLine.Bind(1, ImportFileId);
                firstLine.Bind(2, row.RecordKey);
                Write(new DuplicateRow(row.LineNumber, row.RecordKey, ImportDuplicateKind.RepeatedInFile, firstLine.QueryInt64(), row.RawText));
                duplicates++;
            }
        }

        foreach (var r in batch.Rejects)
        {
            Write(r);
        }

        return Task.FromResult(duplicates);
    }

    private void Write(in RejectedRow row)
    {
        reject.Bind(1, ImportFileId);
        reject.Bind(2, row.LineNumber);
        reject.Bind(3, row.Column);
        reject.Bind(4, row.Reason);
        reject.Bind(5, row.RawText);
        reject.Execute();
    }

    private void Write(in DuplicateRow row)
    {
        duplicate.Bind(1, ImportFileId);
        duplicate.Bind(2, row.LineNumber);
        duplicate.Bind(3, row.RecordKey);
        duplicate.Bind(4, row.Kind.ToString());
        duplicate.Bind(5, row.FirstLineNumber);
        duplicate.Bind(6, row.RawText);
        duplicate.Execute();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            insert.Dispose();
            firstLine.Dispose();
            reject.Dispose();
            duplicate.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Server databases: bulk copy cannot skip a conflicting row, so repeats are found in memory first. The key set
/// holds each distinct record key of the file once (about 70 bytes a key: some 70 MB for a million customers).
/// </summary>
internal abstract class BulkStagingWriter(long importFileId) : StagingWriter(importFileId)
{
    private readonly Dictionary<string, long> firstLines = new(StringComparer.Ordinal);

    /// <summary>Splits the batch's valid rows into those to stage and the repeats.</summary>
    protected (List<StagedRow> Staged, List<DuplicateRow> Duplicates) Split(StagingBatch batch)
    {
        var staged = new List<StagedRow>(batch.Rows.Count);
        var duplicates = new List<DuplicateRow>();
        foreach (var row in batch.Rows)
        {
            if (firstLines.TryGetValue(row.RecordKey, out var first))
            {
                duplicates.Add(new DuplicateRow(row.LineNumber, row.RecordKey, ImportDuplicateKind.RepeatedInFile, first, row.RawText));
            }
            else
            {
                firstLines.Add(row.RecordKey, row.LineNumber);
                staged.Add(row);
            }
        }

        return (staged, duplicates);
    }
}

/// <summary>PostgreSQL: binary COPY of the staged rows, the rejects and the duplicates, inside the open transaction.</summary>
internal sealed class PostgresStagingWriter(CrmDbContext db, long importFileId) : BulkStagingWriter(importFileId)
{
    private readonly NpgsqlConnection connection = (NpgsqlConnection)db.Database.GetDbConnection();

    public override async Task<int> WriteAsync(StagingBatch batch, CancellationToken cancellationToken)
    {
        var (staged, duplicates) = Split(batch);
        if (staged.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                """COPY "ImportStaging" ("ImportFileId", "LineNumber", "RecordKey", "RowHash", "Payload") FROM STDIN (FORMAT BINARY)""", cancellationToken);
            foreach (var row in staged)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(ImportFileId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.LineNumber, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.RecordKey, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(row.RowHash, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(Encoding.UTF8.GetString(batch.Payload(row)), NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await PostgresRows.CopyRejectsAsync(connection, ImportFileId, batch.Rejects, cancellationToken);
        await PostgresRows.CopyDuplicatesAsync(connection, ImportFileId, duplicates, cancellationToken);
        return duplicates.Count;
    }
}

internal static class PostgresRows
{
    public static async Task CopyRejectsAsync(NpgsqlConnection connection, long importFileId, IReadOnlyCollection<RejectedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            """COPY "ImportRejects" ("ImportFileId", "LineNumber", "Column", "Reason", "RawText") FROM STDIN (FORMAT BINARY)""", cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(importFileId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.LineNumber, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(copy, row.Column, cancellationToken);
            await copy.WriteAsync(row.Reason, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(copy, row.RawText, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    public static async Task CopyDuplicatesAsync(NpgsqlConnection connection, long importFileId, IReadOnlyCollection<DuplicateRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            """COPY "ImportDuplicates" ("ImportFileId", "LineNumber", "RecordKey", "Kind", "FirstLineNumber", "RawText") FROM STDIN (FORMAT BINARY)""", cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(importFileId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.LineNumber, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.RecordKey, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.Kind.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            if (row.FirstLineNumber is { } first)
            {
                await copy.WriteAsync(first, NpgsqlDbType.Bigint, cancellationToken);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken);
            }

            await WriteNullableAsync(copy, row.RawText, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);
        }
    }
}

/// <summary>
/// SQL Server: SqlBulkCopy into the open transaction. Compiled and kept in step with the other providers but
/// untested: no SQL Server can run on the development machines (see the README).
/// </summary>
internal sealed class SqlServerStagingWriter(CrmDbContext db, long importFileId) : BulkStagingWriter(importFileId)
{
    private readonly SqlConnection connection = (SqlConnection)db.Database.GetDbConnection();

    public override async Task<int> WriteAsync(StagingBatch batch, CancellationToken cancellationToken)
    {
        var transaction = (SqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Staging writes need an open transaction.");
        var (staged, duplicates) = Split(batch);
        using (var table = new DataTable { Locale = System.Globalization.CultureInfo.InvariantCulture })
        {
            table.Columns.Add("ImportFileId", typeof(long));
            table.Columns.Add("LineNumber", typeof(long));
            table.Columns.Add("RecordKey", typeof(string));
            table.Columns.Add("RowHash", typeof(string));
            table.Columns.Add("Payload", typeof(string));
            foreach (var row in staged)
            {
                table.Rows.Add(ImportFileId, row.LineNumber, row.RecordKey, row.RowHash, Encoding.UTF8.GetString(batch.Payload(row)));
            }

            await CopyAsync(transaction, "ImportStaging", table, cancellationToken);
        }

        using (var table = new DataTable { Locale = System.Globalization.CultureInfo.InvariantCulture })
        {
            table.Columns.Add("ImportFileId", typeof(long));
            table.Columns.Add("LineNumber", typeof(long));
            table.Columns.Add("Column", typeof(string));
            table.Columns.Add("Reason", typeof(string));
            table.Columns.Add("RawText", typeof(string));
            foreach (var row in batch.Rejects)
            {
                table.Rows.Add(ImportFileId, row.LineNumber, (object?)row.Column ?? DBNull.Value, row.Reason, (object?)row.RawText ?? DBNull.Value);
            }

            await CopyAsync(transaction, "ImportRejects", table, cancellationToken);
        }

        using (var table = new DataTable { Locale = System.Globalization.CultureInfo.InvariantCulture })
        {
            table.Columns.Add("ImportFileId", typeof(long));
            table.Columns.Add("LineNumber", typeof(long));
            table.Columns.Add("RecordKey", typeof(string));
            table.Columns.Add("Kind", typeof(string));
            table.Columns.Add("FirstLineNumber", typeof(long));
            table.Columns.Add("RawText", typeof(string));
            foreach (var row in duplicates)
            {
                table.Rows.Add(ImportFileId, row.LineNumber, row.RecordKey, row.Kind.ToString(), (object?)row.FirstLineNumber ?? DBNull.Value,
                    (object?)row.RawText ?? DBNull.Value);
            }

            await CopyAsync(transaction, "ImportDuplicates", table, cancellationToken);
        }

        return duplicates.Count;
    }

    private async Task CopyAsync(SqlTransaction transaction, string tableName, DataTable table, CancellationToken cancellationToken)
    {
        if (table.Rows.Count == 0)
        {
            return;
        }

        using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, transaction)
        {
            DestinationTableName = "[" + tableName + "]",
            BatchSize = 0,
            BulkCopyTimeout = 120,
        };
        foreach (DataColumn column in table.Columns)
        {
            copy.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        }

        await copy.WriteToServerAsync(table, cancellationToken);
    }
}
