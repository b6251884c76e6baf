using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Inserts new rows with explicit ids, bypassing EF Core's change tracking, on the caller's connection and
/// transaction. The rows are written as EF Core would write them (table and column names and value converters come
/// from the model), but nothing of SaveChanges runs: no interceptors (timestamps, audit), no save rules, no wholesale
/// sync. Callers set timestamps and keep those invariants themselves.
/// </summary>
internal abstract class BulkWriter : IAsyncDisposable
{
    public static BulkWriter Create(CrmDbContext db) => db.Provider == DatabaseProvider.Sqlite ? new SqliteBulkWriter(db) : new AdoBulkWriter(db);

    public abstract Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class;

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// SQLite: one prepared single-row INSERT per table, bound from values encoded by the demo loader's
/// <see cref="SqliteTable{T}"/> and stepped through <see cref="SqliteInsert"/> (native binding where available).
/// </summary>
internal sealed class SqliteBulkWriter(CrmDbContext db) : BulkWriter
{
    private static readonly ConcurrentDictionary<(IModel, Type), object> Tables = new();

    /// <summary>
    /// The page cache the import's connection gets at least (SQLite's default is 2 MB). Every random index the merge
    /// writes (names, e-mail addresses, numbers, postcodes) is read page by page; with the default cache most of
    /// those reads go to the file once the tables outgrow it. Raised once per connection, kept while it is pooled.
    /// </summary>
    public const int MinimumCacheKiB = 64 * 1024;

    private readonly SqliteConnection _connection = EnsureCache(db);
    private static readonly object Unsupported = new();

    private readonly Dictionary<Type, (SqliteInsert Insert, SqliteRows Buffer)> _inserts = [];
    private AdoBulkWriter? _generic;

    private static SqliteConnection EnsureCache(CrmDbContext db)
    {
        using var command = MergeSql.Command(db, "PRAGMA cache_size");
        var size = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        // Negative: KiB; positive: pages (of 4 KiB unless the file says otherwise).
        var kib = size < 0 ? -size : size * 4;
        if (kib < MinimumCacheKiB)
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{MinimumCacheKiB}");
            command.ExecuteNonQuery();
        }

        return (SqliteConnection)command.Connection!;
    }

    public override Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (Tables.GetOrAdd((db.Model, typeof(T)), key => TryDescribe<T>(key.Item1)) is not SqliteTable<T> table)
        {
            // A type the native encoder does not write (decimals): parameterised statements, formatted by the driver as EF Core's are.
            return (_generic ??= new AdoBulkWriter(db)).InsertAsync(rows, cancellationToken);
        }

        if (!_inserts.TryGetValue(typeof(T), out var prepared))
        {
            prepared = (new SqliteInsert(_connection, table.Name, table.Columns), table.CreateBuffer());
            _inserts[typeof(T)] = prepared;
        }

        // Encoded in slices so the buffer stays small whatever the chunk size.
        const int Slice = 512;
        var array = rows as T[] ?? [.. rows];
        for (var offset = 0; offset < array.Length; offset += Slice)
        {
            cancellationToken.ThrowIfCancellationRequested();
            prepared.Buffer.Clear();
            table.Encode(array.AsSpan(offset, Math.Min(Slice, array.Length - offset)), prepared.Buffer);
            prepared.Insert.Insert(prepared.Buffer);
        }

        return Task.CompletedTask;
    }

    private static object TryDescribe<T>(IModel model)
        where T : class
    {
        try
        {
            return new SqliteTable<T>(model);
        }
        catch (NotSupportedException)
        {
            return Unsupported;
        }
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var (insert, _) in _inserts.Values)
        {
            insert.Dispose();
        }

        _inserts.Clear();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Any ADO.NET provider (PostgreSQL, SQL Server): multi-row INSERT ... VALUES statements of up to about 2,000
/// parameters (SQL Server's limit is 2,100), values converted by the model's value converters. On SQL Server each
/// statement runs with IDENTITY_INSERT on for its table (ids come from <see cref="MergeSql.ReserveIdsAsync"/>).
/// </summary>
internal sealed class AdoBulkWriter(CrmDbContext db) : BulkWriter
{
    private const int MaxParameters = 2000;

    public override async Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (table, properties) = ModelTables.Describe(db.Model, typeof(T));
        var converters = properties.Select(p => p.GetTypeMapping().Converter).ToArray();
        var getters = properties.Select(p => p.PropertyInfo ?? throw new NotSupportedException($"{typeof(T).Name}.{p.Name} is a shadow property.")).ToArray();
        var columns = string.Join(", ", properties.Select(p => MergeSql.Quote(p.GetColumnName())));
        var perStatement = Math.Max(1, MaxParameters / properties.Count);
        var identity = db.Provider == DatabaseProvider.SqlServer;
        for (var offset = 0; offset < rows.Count; offset += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - offset);
            await using var command = MergeSql.Command(db, "");
            var sql = new StringBuilder();
            if (identity)
            {
                sql.Append("SET IDENTITY_INSERT ").Append(MergeSql.Quote(table)).Append(" ON; ");
            }

            sql.Append("INSERT INTO ").Append(MergeSql.Quote(table)).Append(" (").Append(columns).Append(") VALUES ");
            for (var r = 0; r < count; r++)
            {
                var row = rows[offset + r];
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < properties.Count; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                    sql.Append(c == 0 ? "" : ", ").Append(name);
                    var value = getters[c].GetValue(row);
                    MergeSql.Parameter(command, name, value is null || converters[c] is null ? value : converters[c]!.ConvertToProvider(value));
                }

                sql.Append(')');
            }

            if (identity)
            {
                sql.Append("; SET IDENTITY_INSERT ").Append(MergeSql.Quote(table)).Append(" OFF;");
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
