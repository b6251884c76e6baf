using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Domain.Imports.Bench;

/// <summary>SQLite's own time for one pass of the customers file's writes.</summary>
public sealed record ImportCeilingPass(double StagingSeconds, double MergeSeconds, int SecondaryIndexes)
{
    public double Seconds => StagingSeconds + MergeSeconds;
}

/// <summary>The result of <c>bench import-ceiling</c>: the same rows written with and without the secondary indexes.</summary>
public sealed record ImportCeilingResult(int Rows, ImportCeilingPass WithIndexes, ImportCeilingPass WithoutSecondaryIndexes)
{
    public const int TargetRowsPerSecond = 150_000;

    public static double RowsPerSecond(int rows, ImportCeilingPass pass) => pass.Seconds > 0 ? Math.Round(rows / pass.Seconds) : 0;

    public string ToJson() => JsonSerializer.Serialize(new Line(
        Rows, Round(WithIndexes.StagingSeconds), Round(WithIndexes.MergeSeconds), RowsPerSecond(Rows, WithIndexes), WithIndexes.SecondaryIndexes,
        new BareLine(Round(WithoutSecondaryIndexes.StagingSeconds), Round(WithoutSecondaryIndexes.MergeSeconds), RowsPerSecond(Rows, WithoutSecondaryIndexes)),
        TargetRowsPerSecond));

    private static double Round(double value) => Math.Round(value, 3);

    private sealed record Line(
        [property: JsonPropertyName("rows")] int Rows,
        [property: JsonPropertyName("staging_s")] double StagingSeconds,
        [property: JsonPropertyName("merge_s")] double MergeSeconds,
        [property: JsonPropertyName("rows_per_s")] double RowsPerSecond,
        [property: JsonPropertyName("secondary_indexes")] int SecondaryIndexes,
        [property: JsonPropertyName("without_secondary_indexes")] BareLine WithoutSecondaryIndexes,
        [property: JsonPropertyName("target_rows_per_s")] int Target);

    private sealed record BareLine(
        [property: JsonPropertyName("staging_s")] double StagingSeconds,
        [property: JsonPropertyName("merge_s")] double MergeSeconds,
        [property: JsonPropertyName("rows_per_s")] double RowsPerSecond);
}

/// <summary>
/// <c>bench import-ceiling</c>: how fast SQLite itself can write what a customers file of N new rows becomes, with no
/// import code in the way. On a freshly migrated database (the production schema and its indexes), the values are
/// generated into a temporary table first (not timed); then one INSERT ... SELECT per table, each table in one
/// transaction, foreign keys off, synchronous NORMAL, a 256 MB page cache: the staging rows, then the six rows a new
/// customer becomes (wholesale record, customer, address, e-mail, phone, DMS key). Every one of these favours SQLite
/// over the real pipeline, which parses and validates the CSV, compares with what is stored and commits in chunks to
/// keep the write lock short. The same pass is then repeated on a copy with the secondary indexes of those tables
/// dropped, which shows where the time goes. The figure bounds the import's speed from above.
/// </summary>
public static class ImportCeiling
{
    private static readonly string[] Tables =
        ["ImportStaging", "WholesaleCustomers", "Customers", "CustomerAddresses", "CustomerEmails", "CustomerPhones", "DmsRecords"];

    public static async Task<ImportCeilingResult> RunAsync(string sqliteDatabasePath, int rows, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqliteDatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var path = Path.GetFullPath(sqliteDatabasePath);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Writing {rows:N0} customers with every index ..."));
        var indexed = await PassAsync(path, rows, dropSecondaryIndexes: false, cancellationToken);
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"  staging {indexed.StagingSeconds:F2} s, six tables {indexed.MergeSeconds:F2} s ({ImportCeilingResult.RowsPerSecond(rows, indexed):N0} rows/s)"));
        progress?.Report("Writing them again without the secondary indexes ...");
        var bare = await PassAsync(path, rows, dropSecondaryIndexes: true, cancellationToken);
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"  staging {bare.StagingSeconds:F2} s, six tables {bare.MergeSeconds:F2} s ({ImportCeilingResult.RowsPerSecond(rows, bare):N0} rows/s)"));
        return new ImportCeilingResult(rows, indexed, bare);
    }

    private static async Task<ImportCeilingPass> PassAsync(string path, int rows, bool dropSecondaryIndexes, CancellationToken cancellationToken)
    {
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var settings = new DatabaseSettings { Provider = DatabaseProvider.Sqlite, ConnectionString = connectionString };
        await using (var services = new ServiceCollection().AddCrmPersistence(_ => settings).BuildServiceProvider())
        await using (var db = services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext())
        {
            await CrmDatabase.MigrateAsync(db, cancellationToken);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
            cancellationToken);
        var secondary = await SecondaryIndexesAsync(connection, cancellationToken);
        if (dropSecondaryIndexes)
        {
            foreach (var index in secondary)
            {
                await ExecuteAsync(connection, $"DROP INDEX \"{index}\";", cancellationToken);
            }
        }

        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TEMP TABLE src AS
            WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {rows})
            SELECT i, lower(hex(randomblob(4))) AS fn, lower(hex(randomblob(5))) AS ln,
                   lower(hex(randomblob(6))) || '@mail.example' AS em, '+4479' || abs(random() % 100000000) AS ph,
                   upper(hex(randomblob(3))) AS pc, 'C' || i AS k, hex(randomblob(16)) AS h,
                   date('1940-01-01', '+' || abs(random() % 20000) || ' days') AS dob, lower(hex(randomblob(60))) AS payload
            FROM g;
            """), cancellationToken);

        var staging = await TimedAsync(connection, cancellationToken, """
            INSERT INTO ImportStaging (ImportFileId, LineNumber, RecordKey, RowHash, Payload) SELECT 1, i, k, h, payload FROM src;
            """);
        var merge = await TimedAsync(connection, cancellationToken,
            """
            INSERT INTO WholesaleCustomers (Id, NetworkId, BuyerType, FirstName, LastName, DateOfBirth, Email, Phone, AddressLine1, City, Postcode,
                CountryCode, FieldSources, RetailRecordCount, CreatedAt, UpdatedAt)
            SELECT i, 1, 'Private', fn, ln, dob, em, ph, '1 Road', 'Town', pc, 'GB', '{}', 1, '2026-12-02', '2026-12-02' FROM src;
            """,
            """
            INSERT INTO Customers (Id, BuyerType, CreatedAt, DateOfBirth, DealerGroupId, DedupPendingSince, FirstName, InsuredAccidents, LastName,
                Source, SourceFileId, SourceReference, UpdatedAt, Version, WholesaleCustomerId, ResponsibleDealerId)
            SELECT i, 'Private', '2026-12-02', dob, 1, '2026-12-02', fn, 0, ln, 'DmsImport', 1, k, '2026-12-02', 1, i, 1 FROM src;
            """,
            """
            INSERT INTO CustomerAddresses (CustomerId, Kind, IsPrimary, Line1, City, Postcode, CountryCode)
            SELECT i, 'Home', 1, '1 Road', 'Town', pc, 'GB' FROM src;
            """,
            "INSERT INTO CustomerEmails (CustomerId, Address, NormalisedAddress, IsPrimary) SELECT i, em, em, 1 FROM src;",
            "INSERT INTO CustomerPhones (CustomerId, Kind, Number, IsPrimary) SELECT i, 'Mobile', ph, 1 FROM src;",
            """
            INSERT INTO DmsRecords (DealerId, DealerGroupId, RecordType, DmsRecordId, EntityId, RowHash, SourceFileId, UpdatedAt)
            SELECT 1, 1, 'Customers', k, i, h, 1, '2026-12-02' FROM src;
            """);

        foreach (var table in Tables)
        {
            var count = await ScalarAsync(connection, $"SELECT count(*) FROM \"{table}\";", cancellationToken);
            if (count != rows)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{table} holds {count:N0} rows, not {rows:N0}."));
            }
        }

        return new ImportCeilingPass(staging, merge, dropSecondaryIndexes ? 0 : secondary.Count);
    }

    /// <summary>The indexes SQLite did not create by itself (primary keys are kept) on the tables written.</summary>
    private static async Task<List<string>> SecondaryIndexesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", Tables.Select(t => "'" + t + "'"))}) ORDER BY name;";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Runs each statement in a transaction of its own and returns the total wall time.</summary>
    private static async Task<double> TimedAsync(SqliteConnection connection, CancellationToken cancellationToken, params string[] statements)
    {
        var watch = Stopwatch.StartNew();
        foreach (var statement in statements)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandTimeout = 0;
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
