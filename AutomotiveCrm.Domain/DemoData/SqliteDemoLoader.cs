using System.Globalization;
using System.Threading.Channels;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The SQLite fast path of the demo seeder. A generating thread produces each block of customers, assigns ids
/// (<see cref="DemoRows"/>) and encodes the rows as SQLite stores them (<see cref="SqliteTable{T}"/>); a writing
/// thread of its own binds the encoded values to prepared statements and commits every
/// <see cref="CustomersPerTransaction"/> customers. Encoded batches are recycled, so memory stays flat and the
/// generated objects die young, while the writer does nothing but SQLite work.
/// </summary>
/// <remarks>
/// The load uses a dedicated connection without pooling, because its settings are for the load only:
/// synchronous=OFF (no fsync per commit: the final checkpoint runs with FULL, so the finished load is durable),
/// a large page cache, and foreign keys not enforced. The ids and foreign keys come from one object graph
/// (<see cref="DemoRows"/>), so the checks would only cost time (about 15%); the tests run foreign_key_check on
/// seeded databases instead.
/// <para>
/// Measured on the 2-core machine this was tuned on: long transactions matter most, because every commit writes
/// each page a transaction touched to the WAL and checkpoints it, and the randomly ordered indexes (names,
/// postcodes, e-mail addresses, VINs) touch pages all over: committing every 100,000 customers instead of every
/// 20,000 cut the commit time by a third. Allocating ids over windows of 25,000 customers instead of 1,000 made
/// index inserts cheaper but cost more in garbage collection than it saved, and pushed the peak near 1 GB.
/// </para>
/// </remarks>
internal static class SqliteDemoLoader
{
    public const int CustomersPerTransaction = 100_000;
    /// <summary>Progress is reported after every this many customers written (committed or not).</summary>
    public const int CustomersPerProgressReport = 10_000;
    private const int PageCacheKiB = 384 * 1024;
    private const int BuffersInFlight = 3;

    /// <summary>
    /// Loads all of the generator's data; <paramref name="onProgress"/> gets the customers and rows written so far
    /// every <see cref="CustomersPerProgressReport"/> customers and at the end.
    /// </summary>
    public static async Task<DemoLoadResult> LoadAsync(string connectionString, IModel model, DemoDataGenerator generator,
        Action<int, long> onProgress, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        Execute(connection, string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{PageCacheKiB};"));

        var tables = new DemoTables(model);
        var ids = tables.NextIds(connection);
        var fresh = FreshLoad.TryBegin(connection, tables);
        using var inserts = new DemoInserts(connection, tables);
        var full = Channel.CreateBounded<DemoEncodedBatch>(BuffersInFlight);
        var free = Channel.CreateBounded<DemoEncodedBatch>(BuffersInFlight);
        for (var i = 0; i < BuffersInFlight; i++)
        {
            free.Writer.TryWrite(new DemoEncodedBatch(tables));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var block = 0; block < generator.BlockCount; block++)
                {
                    var encoded = await free.Reader.ReadAsync(stop.Token);
                    tables.Encode(DemoRows.Allocate(generator.Generate(block, 1), ids), encoded);
                    await full.Writer.WriteAsync(encoded, stop.Token);
                }

                full.Writer.Complete();
            }
            catch (Exception e)
            {
                full.Writer.Complete(e);
            }
        }, stop.Token);

        var result = new DemoLoadResult();
        try
        {
            // The writer gets a thread of its own: it is synchronous native work from start to end.
            await Task.Factory.StartNew(() =>
            {
                // A fresh load is one transaction (begun by FreshLoad); otherwise commit every CustomersPerTransaction.
                var transaction = fresh is null ? connection.BeginTransaction() : null;
                try
                {
                    var sinceCommit = 0;
                    var sinceReport = 0;
                    while (full.Reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
                    {
                        while (full.Reader.TryRead(out var encoded))
                        {
                            inserts.Write(encoded);
                            result.Add(encoded);
                            sinceCommit += encoded.Customers;
                            sinceReport += encoded.Customers;
                            free.Writer.TryWrite(encoded);
                            if (transaction is not null && sinceCommit >= CustomersPerTransaction)
                            {
                                transaction.Commit();
                                transaction.Dispose();
                                transaction = connection.BeginTransaction();
                                sinceCommit = 0;
                            }

                            if (sinceReport >= CustomersPerProgressReport)
                            {
                                onProgress(result.Customers, result.Rows);
                                sinceReport = 0;
                            }
                        }
                    }

                    if (fresh is not null)
                    {
                        fresh.Complete();
                    }
                    else
                    {
                        transaction!.Commit();
                    }

                    if (sinceReport > 0)
                    {
                        onProgress(result.Customers, result.Rows);
                    }
                }
                finally
                {
                    transaction?.Dispose();
                    fresh?.Dispose();
                }
            }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            // The producer ends on its own (completion or cancellation); never leave it running behind the caller.
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Make the load durable and give the query planner statistics; analysis_limit keeps ANALYZE to a sample.
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA analysis_limit = 1000; ANALYZE;");
        return result;
    }

    /// <summary>
    /// Loading into empty tables: the whole load is one transaction in rollback-journal mode that drops the tables'
    /// secondary indexes first and creates them again at the end. SQLite then writes each new page once (no WAL copy
    /// and checkpoint; pages appended to the file need no journal) and builds each index by sorting, instead of
    /// updating about 30 randomly ordered index entries per customer row by row. The drop is inside the
    /// transaction, so a load that fails or is killed rolls back to the empty database with all its indexes.
    /// </summary>
    private sealed class FreshLoad : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly List<string> _indexes;
        private bool _open = true;

        private FreshLoad(SqliteConnection connection, List<string> indexes)
        {
            _connection = connection;
            _indexes = indexes;
        }

        /// <summary>Null when a table already has rows (then indexes stay and commits are periodic).</summary>
        public static FreshLoad? TryBegin(SqliteConnection connection, DemoTables tables)
        {
            var names = tables.InInsertOrder.Select(t => t.Name).ToList();
            foreach (var name in names)
            {
                using var any = connection.CreateCommand();
                any.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{name}\")";
                if ((long)any.ExecuteScalar()! != 0)
                {
                    return null;
                }
            }

            // Leaving WAL needs the only connection to the file; when another is open, stay in WAL (still correct).
            try
            {
                using var journal = connection.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode = DELETE";
                journal.ExecuteScalar();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_BUSY)
            {
                // Another connection holds the file: the load runs in WAL mode, slower but the same.
            }

            var indexes = new List<(string Name, string Sql)>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" +
                    string.Join(", ", names.Select(n => "'" + n + "'")) + ")";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            Raw(connection, "PRAGMA threads = 2; BEGIN IMMEDIATE");
            try
            {
                foreach (var (name, _) in indexes)
                {
                    Raw(connection, $"DROP INDEX \"{name}\"");
                }
            }
            catch
            {
                Raw(connection, "ROLLBACK");
                throw;
            }

            return new FreshLoad(connection, [.. indexes.Select(i => i.Sql)]);
        }

        /// <summary>Creates the indexes again (each by one sort) and commits the load.</summary>
        public void Complete()
        {
            foreach (var sql in _indexes)
            {
                Raw(_connection, sql);
            }

            Raw(_connection, "COMMIT");
            _open = false;
            using var journal = _connection.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode = WAL";
            journal.ExecuteScalar();
        }

        public void Dispose()
        {
            if (_open)
            {
                _open = false;
                Raw(_connection, "ROLLBACK");
                using var journal = _connection.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode = WAL";
                journal.ExecuteScalar();
            }
        }

        private static void Raw(SqliteConnection connection, string sql)
        {
            var rc = SQLitePCL.raw.sqlite3_exec(connection.Handle, sql);
            if (rc != SQLitePCL.raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    /// <summary>The tables the demo writes, in insert order: parents before children.</summary>
    private sealed class DemoTables(IModel model)
    {
        public SqliteTable<WholesaleCustomer> Wholesale { get; } = new(model);
        public SqliteTable<Customer> Customers { get; } = new(model);
        public SqliteTable<CustomerAddress> Addresses { get; } = new(model);
        public SqliteTable<CustomerEmail> Emails { get; } = new(model);
        public SqliteTable<CustomerPhone> Phones { get; } = new(model);
        public SqliteTable<ConsentRecord> Consents { get; } = new(model);
        public SqliteTable<Vehicle> Vehicles { get; } = new(model);
        public SqliteTable<PlateRegistration> Plates { get; } = new(model);
        public SqliteTable<MileageReading> Mileage { get; } = new(model);
        public SqliteTable<Relationship> Relationships { get; } = new(model);

        public IEnumerable<(string Name, IReadOnlyList<string> Columns)> InInsertOrder =>
        [
            (Wholesale.Name, Wholesale.Columns), (Customers.Name, Customers.Columns), (Addresses.Name, Addresses.Columns),
            (Emails.Name, Emails.Columns), (Phones.Name, Phones.Columns), (Consents.Name, Consents.Columns),
            (Vehicles.Name, Vehicles.Columns), (Plates.Name, Plates.Columns), (Mileage.Name, Mileage.Columns),
            (Relationships.Name, Relationships.Columns),
        ];

        public void Encode(DemoRows rows, DemoEncodedBatch into)
        {
            foreach (var buffer in into.Tables)
            {
                buffer.Clear();
            }

            Wholesale.Encode(rows.Wholesale, into.Tables[0]);
            Customers.Encode(rows.Customers, into.Tables[1]);
            Addresses.Encode(rows.Addresses, into.Tables[2]);
            Emails.Encode(rows.Emails, into.Tables[3]);
            Phones.Encode(rows.Phones, into.Tables[4]);
            Consents.Encode(rows.Consents, into.Tables[5]);
            Vehicles.Encode(rows.Vehicles, into.Tables[6]);
            Plates.Encode(rows.Plates, into.Tables[7]);
            Mileage.Encode(rows.Mileage, into.Tables[8]);
            Relationships.Encode(rows.Relationships, into.Tables[9]);
            into.Describe(rows.Batch);
        }

        /// <summary>The next free id of every table (MAX(Id) + 1): ids are explicit, so the load can follow other rows.</summary>
        public DemoIds NextIds(SqliteConnection connection) => new()
        {
            Wholesale = NextId(connection, Wholesale.Name),
            Customer = NextId(connection, Customers.Name),
            Address = NextId(connection, Addresses.Name),
            Email = NextId(connection, Emails.Name),
            Phone = NextId(connection, Phones.Name),
            Vehicle = NextId(connection, Vehicles.Name),
            Plate = NextId(connection, Plates.Name),
            Mileage = NextId(connection, Mileage.Name),
            Relationship = NextId(connection, Relationships.Name),
            Consent = NextId(connection, Consents.Name),
        };

        private static long NextId(SqliteConnection connection, string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>The prepared statements, one per table, in insert order.</summary>
    private sealed class DemoInserts(SqliteConnection connection, DemoTables tables) : IDisposable
    {
        private readonly SqliteInsert[] _inserts = tables.InInsertOrder.Select(t => new SqliteInsert(connection, t.Name, t.Columns)).ToArray();

        public void Write(DemoEncodedBatch batch)
        {
            for (var i = 0; i < _inserts.Length; i++)
            {
                _inserts[i].Insert(batch.Tables[i]);
            }
        }

        public void Dispose()
        {
            foreach (var insert in _inserts)
            {
                insert.Dispose();
            }
        }
    }

    /// <summary>A batch's rows encoded table by table, and what the result needs to know about it.</summary>
    private sealed class DemoEncodedBatch(DemoTables tables) : IDemoBatchSummary
    {
        public SqliteRows[] Tables { get; } = tables.InInsertOrder.Select(t => new SqliteRows(t.Columns.Count)).ToArray();
        public int Customers { get; private set; }
        public int Duplicates { get; private set; }
        public long RowCount { get; private set; }
        public List<(long GroupId, DemoGroupSampleIds Sample)> Samples { get; } = [];

        IEnumerable<(long GroupId, DemoGroupSampleIds Sample)> IDemoBatchSummary.Samples => Samples;

        public void Describe(DemoBatch batch)
        {
            Customers = batch.Customers.Count;
            Duplicates = batch.Duplicates.Count;
            RowCount = batch.RowCount;
            Samples.Clear();
            Samples.AddRange(DemoLoadResult.SamplesOf(batch));
        }
    }
}
