using System.Data.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>
/// Plain SQL for the pipeline's own rows (rejects, duplicates). They are written without the change tracker: they
/// are history of the file (append-only) and would otherwise each get an audit row, doubling the writes of a file
/// full of bad rows. Double-quoted identifiers work on all three providers (SQL Server's QUOTED_IDENTIFIER is on).
/// </summary>
internal static class ImportRowSql
{
    /// <summary>Parameters are <c>?1..?5</c> (SQLite statements) or <c>@p1..@p5</c> (any provider).</summary>
    public static string InsertReject(char prefix) =>
        $"""INSERT INTO "ImportRejects" ("ImportFileId", "LineNumber", "Column", "Reason", "RawText") VALUES ({Parameters(prefix, 5)})""";

    public static string InsertDuplicate(char prefix) =>
        $"""INSERT INTO "ImportDuplicates" ("ImportFileId", "LineNumber", "RecordKey", "Kind", "FirstLineNumber", "RawText") VALUES ({Parameters(prefix, 6)})""";

    private static string Parameters(char prefix, int count) =>
        string.Join(", ", Enumerable.Range(1, count).Select(i => prefix == '?' ? $"?{i}" : $"@p{i}"));

    /// <summary>Writes rejects and duplicates through the context's connection, inside its current transaction.</summary>
    public static async Task InsertAsync(CrmDbContext db, long importFileId, IReadOnlyCollection<RejectedRow> rejects,
        IReadOnlyCollection<DuplicateRow> duplicates, CancellationToken cancellationToken)
    {
        if (rejects.Count == 0 && duplicates.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (rejects.Count > 0)
        {
            await using var command = Prepare(connection, transaction, InsertReject('@'), 5);
            foreach (var row in rejects)
            {
                Set(command, importFileId, row.LineNumber, row.Column, row.Reason, row.RawText);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (duplicates.Count > 0)
        {
            await using var command = Prepare(connection, transaction, InsertDuplicate('@'), 6);
            foreach (var row in duplicates)
            {
                Set(command, importFileId, row.LineNumber, row.RecordKey, row.Kind.ToString(), row.FirstLineNumber, row.RawText);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
