using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Raw ADO.NET on the caller's connection and transaction. Identifiers are double-quoted (standard SQL, accepted by
/// SQLite, PostgreSQL and SQL Server with QUOTED_IDENTIFIER on, its default); parameters are written @name, which
/// all three drivers accept.
/// </summary>
internal static class MergeSql
{
    public static DbTransaction Transaction(CrmDbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("The merge runs inside the caller's transaction: begin one on the context before merging a chunk.");

    public static DbCommand Command(CrmDbContext db, string sql)
    {
        var transaction = Transaction(db);
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 120;
        return command;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string TableOf<T>(CrmDbContext db) =>
        db.Model.FindEntityType(typeof(T))?.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");

    /// <summary>
    /// Reserves <paramref name="count"/> new ids of a table for rows the merge inserts with explicit keys.
    /// SQLite: above both the highest id and the AUTOINCREMENT high-water mark (ids of deleted rows are never
    /// reused, or audit history would attach to a stranger); the caller's transaction holds the write lock, so no one
    /// else can take them. PostgreSQL: from the identity column's sequence, safe beside concurrent inserts. SQL
    /// Server: above the highest id and identity value under an exclusive table lock held to the end of the
    /// transaction (the inserts then run with IDENTITY_INSERT, which moves the identity past them).
    /// </summary>
    public static async Task<long[]> ReserveIdsAsync(CrmDbContext db, string table, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        if (count == 0)
        {
            return ids;
        }

        var quoted = Quote(table);
        switch (db.Provider)
        {
            case DatabaseProvider.PostgreSql:
            {
                await using var command = Command(db, "SELECT nextval(pg_get_serial_sequence(@t, 'Id')) FROM generate_series(1, @n)");
                Parameter(command, "@t", quoted);
                Parameter(command, "@n", count);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var i = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids[i++] = reader.GetInt64(0);
                }

                return ids;
            }

            case DatabaseProvider.SqlServer:
            {
                await using var command = Command(db, $"""
                    SELECT CASE WHEN m > i THEN m ELSE i END FROM (
                      SELECT COALESCE((SELECT MAX("Id") FROM {quoted} WITH (TABLOCKX, HOLDLOCK)), 0) AS m,
                             COALESCE((SELECT CONVERT(bigint, last_value) FROM sys.identity_columns WHERE object_id = OBJECT_ID(@t) AND name = 'Id'), 0) AS i) AS x
                    """);
                Parameter(command, "@t", quoted);
                var first = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1;
                Fill(ids, first);
                return ids;
            }

            default:
            {
                await using var command = Command(db,
                    $"SELECT MAX(COALESCE((SELECT MAX(\"Id\") FROM {quoted}), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @t), 0))");
                Parameter(command, "@t", table);
                var first = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1;
                Fill(ids, first);
                return ids;
            }
        }
    }

    private static void Fill(long[] ids, long first)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = first + i;
        }
    }

    /// <summary>
    /// The condition "column is one of the keys", with the keys bound as one parameter: a JSON array on SQLite
    /// (json_each) and SQL Server (OPENJSON), a text array on PostgreSQL. One statement whatever the chunk size.
    /// </summary>
    public static string InKeys(CrmDbContext db, DbCommand command, string column, string parameter, IReadOnlyCollection<string> keys)
    {
        switch (db.Provider)
        {
            case DatabaseProvider.PostgreSql:
                Parameter(command, parameter, keys.ToArray());
                return $"{column} = ANY({parameter})";
            case DatabaseProvider.SqlServer:
                Parameter(command, parameter, JsonSerializer.Serialize(keys));
                return $"{column} IN (SELECT value FROM OPENJSON({parameter}))";
            default:
                Parameter(command, parameter, JsonSerializer.Serialize(keys));
                return $"{column} IN (SELECT value FROM json_each({parameter}))";
        }
    }

    /// <summary>As <see cref="InKeys"/>, for ids.</summary>
    public static string InIds(CrmDbContext db, DbCommand command, string column, string parameter, IReadOnlyCollection<long> ids)
    {
        switch (db.Provider)
        {
            case DatabaseProvider.PostgreSql:
                Parameter(command, parameter, ids.ToArray());
                return $"{column} = ANY({parameter})";
            case DatabaseProvider.SqlServer:
                Parameter(command, parameter, JsonSerializer.Serialize(ids));
                return $"{column} IN (SELECT CONVERT(bigint, value) FROM OPENJSON({parameter}))";
            default:
                Parameter(command, parameter, JsonSerializer.Serialize(ids));
                return $"{column} IN (SELECT value FROM json_each({parameter}))";
        }
    }
}

/// <summary>What the key map holds for one DMS record id.</summary>
internal sealed record KnownRecord(long Id, long EntityId, string RowHash);

/// <summary>The <see cref="DmsRecord"/> key map, read and written in one statement per chunk where it can be.</summary>
internal static class DmsRecordStore
{
    public static async Task<Dictionary<string, KnownRecord>> LoadAsync(CrmDbContext db, long dealerId, ImportFileType type,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, KnownRecord>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return known;
        }

        await using var command = MergeSql.Command(db, "");
        MergeSql.Parameter(command, "@d", dealerId);
        MergeSql.Parameter(command, "@t", type.ToString());
        var inKeys = MergeSql.InKeys(db, command, "\"DmsRecordId\"", "@k", keys);
        command.CommandText = $"SELECT \"DmsRecordId\", \"Id\", \"EntityId\", \"RowHash\" FROM \"DmsRecords\" WHERE \"DealerId\" = @d AND \"RecordType\" = @t AND {inKeys}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known[reader.GetString(0)] = new KnownRecord(reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
        }

        return known;
    }

    /// <summary>Entity ids of a dealer's records of one type (a reference file's keys), by DMS record id.</summary>
    public static async Task<Dictionary<string, long>> EntityIdsAsync(CrmDbContext db, long dealerId, ImportFileType type,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var known = await LoadAsync(db, dealerId, type, keys, cancellationToken);
        return known.ToDictionary(k => k.Key, k => k.Value.EntityId, StringComparer.Ordinal);
    }

    public static async Task InsertAsync(CrmDbContext db, BulkWriter writer, List<DmsRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var ids = await MergeSql.ReserveIdsAsync(db, MergeSql.TableOf<DmsRecord>(db), records.Count, cancellationToken);
        for (var i = 0; i < records.Count; i++)
        {
            records[i].Id = ids[i];
        }

        await writer.InsertAsync(records, cancellationToken);
    }

    /// <summary>A changed record: its new hash, the file that changed it, and (when it was re-created) its new entity.</summary>
    public static async Task UpdateAsync(CrmDbContext db, IReadOnlyList<(long Id, long EntityId, string RowHash)> records, long sourceFileId,
        DateTime now, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var command = MergeSql.Command(db,
            "UPDATE \"DmsRecords\" SET \"EntityId\" = @e, \"RowHash\" = @h, \"SourceFileId\" = @f, \"UpdatedAt\" = @u WHERE \"Id\" = @id");
        var entity = MergeSql.Parameter(command, "@e", 0L);
        var hash = MergeSql.Parameter(command, "@h", "");
        MergeSql.Parameter(command, "@f", sourceFileId);
        MergeSql.Parameter(command, "@u", DateTime.SpecifyKind(now, DateTimeKind.Utc));
        var id = MergeSql.Parameter(command, "@id", 0L);
        foreach (var record in records)
        {
            entity.Value = record.EntityId;
            hash.Value = record.RowHash;
            id.Value = record.Id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Model metadata a writer needs about one table.</summary>
internal static class ModelTables
{
    public static (string Table, List<IProperty> Properties) Describe(IModel model, Type type)
    {
        var entityType = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var name = entityType.GetTableName() ?? throw new InvalidOperationException($"{type.Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(name, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => p.GetComputedColumnSql(table) is null).ToList();
        return (name, properties);
    }
}
