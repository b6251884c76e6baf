using System.Threading.Channels;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The SQLite fast path of the demo seeder: one thread generates blocks of customers and assigns their ids while
/// another inserts the previous block through prepared statements on a dedicated connection, committing every
/// <see cref="CustomersPerTransaction"/> customers.
/// </summary>
/// <remarks>
/// The dedicated connection is opened without pooling because its pragmas are for the load only: synchronous=OFF
/// (no fsync per commit; the final checkpoint runs with FULL, so the finished load is durable) and a large page
/// cache, which must not stay behind in a pooled connection. Foreign keys stay enforced: a generator bug fails the
/// load instead of leaving dangling rows. Generation runs one block ahead at most, so memory stays flat and the
/// generated objects die young (cheap for the garbage collector).
/// </remarks>
internal sealed class SqliteDemoLoader : IDisposable
{
    public const int CustomersPerTransaction = 10_000;
    private const int PageCacheKiB = 256 * 1024;

    private readonly SqliteConnection _connection;
    private readonly SqliteBulkInserter<WholesaleCustomer> _wholesale;
    private readonly SqliteBulkInserter<Customer> _customers;
    private readonly SqliteBulkInserter<CustomerAddress> _addresses;
    private readonly SqliteBulkInserter<CustomerEmail> _emails;
    private readonly SqliteBulkInserter<CustomerPhone> _phones;
    private readonly SqliteBulkInserter<Vehicle> _vehicles;
    private readonly SqliteBulkInserter<PlateRegistration> _plates;
    private readonly SqliteBulkInserter<MileageReading> _mileage;
    private readonly SqliteBulkInserter<Relationship> _relationships;
    private readonly SqliteBulkInserter<ConsentRecord> _consents;

    private SqliteDemoLoader(SqliteConnection connection, IModel model)
    {
        _connection = connection;
        _wholesale = new(connection, model);
        _customers = new(connection, model);
        _addresses = new(connection, model);
        _emails = new(connection, model);
        _phones = new(connection, model);
        _vehicles = new(connection, model);
        _plates = new(connection, model);
        _mileage = new(connection, model);
        _relationships = new(connection, model);
        _consents = new(connection, model);
    }

    /// <summary>Loads all of the generator's data; <paramref name="onCommit"/> is called after each transaction.</summary>
    public static async Task<DemoLoadResult> LoadAsync(string connectionString, IModel model, DemoDataGenerator generator,
        Action<int, long> onCommit, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        Execute(connection, $"PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{PageCacheKiB};");

        using var loader = new SqliteDemoLoader(connection, model);
        var ids = loader.NextIds();
        var queue = Channel.CreateBounded<DemoRows>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var block = 0; block < generator.BlockCount; block++)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    await queue.Writer.WriteAsync(DemoRows.Allocate(generator.Generate(block, 1), ids), stop.Token);
                }

                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
            }
        }, stop.Token);

        var result = new DemoLoadResult();
        try
        {
            await Task.Run(async () =>
            {
                var transaction = connection.BeginTransaction();
                try
                {
                    var pending = 0;
                    await foreach (var rows in queue.Reader.ReadAllAsync(stop.Token))
                    {
                        loader.Write(rows);
                        result.Add(rows);
                        pending += rows.Customers.Length;
                        if (pending >= CustomersPerTransaction)
                        {
                            transaction.Commit();
                            transaction.Dispose();
                            transaction = connection.BeginTransaction();
                            pending = 0;
                            onCommit(result.Customers, result.Rows);
                        }
                    }

                    transaction.Commit();
                    if (pending > 0)
                    {
                        onCommit(result.Customers, result.Rows);
                    }
                }
                finally
                {
                    transaction.Dispose();
                }
            }, stop.Token);
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

    public void Dispose()
    {
        _wholesale.Dispose();
        _customers.Dispose();
        _addresses.Dispose();
        _emails.Dispose();
        _phones.Dispose();
        _vehicles.Dispose();
        _plates.Dispose();
        _mileage.Dispose();
        _relationships.Dispose();
        _consents.Dispose();
    }

    /// <summary>Parents before children, so every foreign key points at a row that is already there.</summary>
    private void Write(DemoRows rows)
    {
        _wholesale.Insert(rows.Wholesale);
        _customers.Insert(rows.Customers);
        _addresses.Insert(rows.Addresses);
        _emails.Insert(rows.Emails);
        _phones.Insert(rows.Phones);
        _consents.Insert(rows.Consents);
        _vehicles.Insert(rows.Vehicles);
        _plates.Insert(rows.Plates);
        _mileage.Insert(rows.Mileage);
        _relationships.Insert(rows.Relationships);
    }

    private DemoIds NextIds() => new()
    {
        Wholesale = NextId(_wholesale.TableName),
        Customer = NextId(_customers.TableName),
        Address = NextId(_addresses.TableName),
        Email = NextId(_emails.TableName),
        Phone = NextId(_phones.TableName),
        Vehicle = NextId(_vehicles.TableName),
        Plate = NextId(_plates.TableName),
        Mileage = NextId(_mileage.TableName),
        Relationship = NextId(_relationships.TableName),
        Consent = NextId(_consents.TableName),
    };

    private long NextId(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}

/// <summary>What a load wrote, and one customer and vehicle per group to show as examples.</summary>
internal sealed class DemoLoadResult
{
    private readonly Dictionary<long, DemoGroupSampleIds> _samples = [];

    public int Customers { get; private set; }
    public int Duplicates { get; private set; }
    public long Rows { get; private set; }
    public IReadOnlyDictionary<long, DemoGroupSampleIds> Samples => _samples;

    public void Add(DemoRows rows) => Add(rows.Batch);

    /// <summary>Counts a written batch (ids must be known) and keeps the first current relationship of each group as its sample.</summary>
    public void Add(DemoBatch batch)
    {
        Customers += batch.Customers.Count;
        Duplicates += batch.Duplicates.Count;
        Rows += batch.RowCount;
        foreach (var r in batch.Relationships)
        {
            if (r.EndDate is null && !_samples.ContainsKey(r.DealerGroupId))
            {
                _samples[r.DealerGroupId] = new DemoGroupSampleIds(r.Customer!.Id, r.Vehicle!.Id);
            }
        }
    }
}

internal sealed record DemoGroupSampleIds(long CustomerId, long VehicleId);
