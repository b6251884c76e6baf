using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>The person data of one customer to write in bulk (evaluation files, benchmark data).</summary>
public sealed record BulkPerson(int Group, string? FirstName, string? LastName, DateOnly? DateOfBirth, string? Line1, string? Line2, string? City,
    string? Region, string? Postcode, string? Email, string? Phone, string? Reference);

/// <summary>
/// Writes customers into a fresh SQLite database the way the demo loader does (the same encoders of EF Core's
/// mapping, prepared inserts, long transactions): a retail record with its wholesale record, primary address,
/// e-mail and phone. Used for the throwaway databases of <c>dedup evaluate</c> and <c>bench dedup</c>.
/// </summary>
public static class DedupBulkWriter
{
    private const int PerTransaction = 100_000;

    /// <summary>Creates a migrated SQLite database at <paramref name="path"/> (replacing any) with one network of <paramref name="groups"/> groups.</summary>
    public static async Task<(DatabaseSettings Settings, long NetworkId, long[] GroupIds)> CreateDatabaseAsync(string path, int groups, CancellationToken cancellationToken)
    {
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }

        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ToString(),
        };
        await using var db = CrmDatabase.CreateContext(settings);
        await CrmDatabase.MigrateAsync(db, cancellationToken);
        var network = new Network { Code = "DEDUP", Name = "Dedup network", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
        for (var g = 0; g < groups; g++)
        {
            network.Groups.Add(new DealerGroup { Code = FormattableString.Invariant($"G{g + 1:D2}"), Name = FormattableString.Invariant($"Group {g + 1}"), Network = network });
        }

        db.Networks.Add(network);
        await db.SaveChangesAsync(cancellationToken);
        return (settings, network.Id, network.Groups.OrderBy(g => g.Code, StringComparer.Ordinal).Select(g => g.Id).ToArray());
    }

    /// <summary>Inserts the people as customers; returns how many. Ids follow the largest existing ones.</summary>
    public static async Task<int> WriteAsync(DatabaseSettings settings, long networkId, long[] groupIds, IEnumerable<BulkPerson> people,
        string countryCode, bool pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(groupIds);
        ArgumentNullException.ThrowIfNull(people);
        await using var db = CrmDatabase.CreateContext(settings);
        var model = db.Model;
        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        // A large page cache speeds up a big load into empty tables; the later, small batch of pending records is written
        // while the matcher's records are in memory, so it makes do with a small one.
        Execute(connection, "PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = "
            + (pending ? "-32768;" : "-262144;"));
        var wholesale = new SqliteTable<WholesaleCustomer>(model);
        var customers = new SqliteTable<Customer>(model);
        var addresses = new SqliteTable<CustomerAddress>(model);
        var emails = new SqliteTable<CustomerEmail>(model);
        var phones = new SqliteTable<CustomerPhone>(model);
        long nextWholesale = NextId(connection, wholesale.Name), nextCustomer = NextId(connection, customers.Name), nextAddress = NextId(connection, addresses.Name),
            nextEmail = NextId(connection, emails.Name), nextPhone = NextId(connection, phones.Name);
        using var insertWholesale = new SqliteInsert(connection, wholesale.Name, wholesale.Columns);
        using var insertCustomer = new SqliteInsert(connection, customers.Name, customers.Columns);
        using var insertAddress = new SqliteInsert(connection, addresses.Name, addresses.Columns);
        using var insertEmail = new SqliteInsert(connection, emails.Name, emails.Columns);
        using var insertPhone = new SqliteInsert(connection, phones.Name, phones.Columns);
        var rows = new[] { wholesale.CreateBuffer(), customers.CreateBuffer(), addresses.CreateBuffer(), emails.CreateBuffer(), phones.CreateBuffer() };
        var now = DateTime.UtcNow;
        var written = 0;
        var transaction = connection.BeginTransaction();
        try
        {
            var batch = 0;
            foreach (var person in people)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var w = new WholesaleCustomer
                {
                    Id = nextWholesale++, NetworkId = networkId, BuyerType = BuyerType.Person, FirstName = person.FirstName, LastName = person.LastName,
                    DateOfBirth = person.DateOfBirth, Email = person.Email, Phone = person.Phone, AddressLine1 = person.Line1, AddressLine2 = person.Line2,
                    City = person.City, Postcode = person.Postcode, CountryCode = countryCode, RetailRecordCount = 1, CreatedAt = now, UpdatedAt = now,
                };
                var c = new Customer
                {
                    Id = nextCustomer++, DealerGroupId = groupIds[person.Group % groupIds.Length], WholesaleCustomerId = w.Id, BuyerType = BuyerType.Person,
                    FirstName = person.FirstName, LastName = person.LastName, DateOfBirth = person.DateOfBirth, Source = CustomerSource.ImportFile,
                    SourceReference = person.Reference, CreatedAt = now, UpdatedAt = now, Version = 1, DedupPendingSince = pending ? now : null,
                };
                wholesale.Encode([w], rows[0]);
                customers.Encode([c], rows[1]);
                if (person.Line1 is not null || person.City is not null || person.Postcode is not null || person.Line2 is not null)
                {
                    addresses.Encode([new CustomerAddress
                    {
                        Id = nextAddress++, CustomerId = c.Id, Kind = AddressKind.Home, IsPrimary = true, Line1 = person.Line1, Line2 = person.Line2,
                        City = person.City, Region = person.Region, Postcode = person.Postcode, CountryCode = countryCode,
                    }], rows[2]);
                }

                if (person.Email is not null)
                {
                    emails.Encode([new CustomerEmail
                    {
                        Id = nextEmail++, CustomerId = c.Id, Address = person.Email, NormalisedAddress = person.Email.Trim().ToLowerInvariant(), IsPrimary = true,
                    }], rows[3]);
                }

                if (person.Phone is not null)
                {
                    phones.Encode([new CustomerPhone { Id = nextPhone++, CustomerId = c.Id, Kind = PhoneKind.Mobile, Number = person.Phone, IsPrimary = true }], rows[4]);
                }

                written++;
                if (++batch == 10_000)
                {
                    Flush();
                    batch = 0;
                    if (written % PerTransaction == 0)
                    {
                        transaction.Commit();
                        transaction.Dispose();
                        transaction = connection.BeginTransaction();
                    }
                }
            }

            Flush();
            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
        }

        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA analysis_limit = 1000; ANALYZE;");
        return written;

        void Flush()
        {
            insertWholesale.Insert(rows[0]);
            insertCustomer.Insert(rows[1]);
            insertAddress.Insert(rows[2]);
            insertEmail.Insert(rows[3]);
            insertPhone.Insert(rows[4]);
            foreach (var r in rows)
            {
                r.Clear();
            }
        }
    }

    private static long NextId(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"");
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
