using System.Security.Cryptography;
using System.Text;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.DemoData;

/// <summary>The seeder against real SQLite files: the bulk path, the EF Core path, and what reads back.</summary>
public sealed class DemoDataSeederTests : IDisposable
{
    /// <summary>The tables the demo data fills (organisation and customer data; users and audit rows aside).</summary>
    private static readonly string[] DataTables =
    [
        "Networks", "Brands", "DealerGroups", "Dealers", "DealerBrands", "WholesaleCustomers", "Customers", "CustomerAddresses",
        "CustomerEmails", "CustomerPhones", "ConsentRecords", "Vehicles", "PlateRegistrations", "MileageReadings", "Relationships",
    ];

    private readonly DemoDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SeedAsync_FreshDatabase_WritesTheRequestedCustomersReadableThroughEfCore()
    {
        var settings = _folder.Settings();

        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 1000));

        Assert.False(result.AlreadySeeded);
        Assert.Equal(1000, result.Customers);
        Assert.InRange(result.PlantedDuplicates, 35, 65);
        await using var db = CrmDatabase.CreateContext(settings);
        Assert.Equal(1000, await db.Customers.CountAsync());
        Assert.Equal(result.Rows, await CountAllRowsAsync(db));
        Assert.Equal(["NEWSTAR", "PENNINE", "THAMES"], result.Groups.Select(g => g.GroupCode));
        Assert.NotEmpty(result.Users);
        foreach (var sample in result.Groups)
        {
            var relationship = await db.Relationships.Include(r => r.Customer).FirstAsync(r =>
                r.CustomerId == sample.CustomerId && r.VehicleId == sample.VehicleId && r.EndDate == null);
            Assert.Equal(sample.GroupCode, (await db.DealerGroups.SingleAsync(g => g.Id == relationship.DealerGroupId)).Code);
        }

        var customers = await db.Customers.AsNoTracking()
            .Include(c => c.WholesaleCustomer).Include(c => c.Addresses).Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Consents)
            .AsSplitQuery().ToListAsync();
        Assert.All(customers, c =>
        {
            var recomposed = new WholesaleCustomer { NetworkId = c.WholesaleCustomer!.NetworkId };
            WholesaleComposer.Compose(recomposed, [c]);
            Assert.NotEmpty(c.WholesaleCustomer.FieldSources);
            Assert.Equal(recomposed.FieldSources, c.WholesaleCustomer.FieldSources);
            Assert.All(c.WholesaleCustomer.FieldSources.Values, id => Assert.Equal(c.Id, id));
            Assert.Equal((recomposed.FirstName, recomposed.LastName, recomposed.Email, recomposed.Phone, recomposed.Postcode, recomposed.BuyerType),
                (c.WholesaleCustomer.FirstName, c.WholesaleCustomer.LastName, c.WholesaleCustomer.Email, c.WholesaleCustomer.Phone,
                    c.WholesaleCustomer.Postcode, c.WholesaleCustomer.BuyerType));
            Assert.Equal(DateTimeKind.Utc, c.CreatedAt.Kind);
            Assert.True(c.UpdatedAt >= c.CreatedAt);
        });
        Assert.Contains(customers, c => c.BuyerType == BuyerType.Company);
        Assert.Contains(customers, c => c.PaymentMethod == PaymentMethod.TradeInDeal);
        Assert.Contains(customers, c => c.Consents.Any(r => r.Status == ConsentStatus.OptOut));

        var relationships = await db.Relationships.AsNoTracking().ToListAsync();
        RelationshipRules.EnsureNoOverlap(relationships);
        Assert.All(relationships.GroupBy(r => (r.DealerId, r.CustomerId, r.VehicleId)), t => Assert.InRange(t.Count(r => r.EndDate is null), 0, 1));
        Assert.Equal(Enum.GetValues<RelationshipType>().Order(), relationships.Select(r => r.Type).Distinct().Order());
        var groups = customers.ToDictionary(c => c.Id, c => c.DealerGroupId);
        Assert.All(relationships, r => Assert.Equal(groups[r.CustomerId], r.DealerGroupId));
        Assert.Contains(relationships, r => r.EndReason == RelationshipEndReason.SoldAsTradeIn && relationships.Any(b =>
            b.VehicleId == r.VehicleId && b.CustomerId != r.CustomerId && b.StartDate == r.EndDate));

        var vehicles = await db.Vehicles.AsNoTracking().Include(v => v.Plates).Include(v => v.MileageReadings).AsSplitQuery().ToListAsync();
        Assert.All(vehicles, v =>
        {
            Assert.Equal(Vin.Check(v.Vin).Warning, v.VinWarning);
            Assert.Equal(v.Plates.SingleOrDefault(p => p.ValidTo is null)?.Plate, v.CurrentPlate);
        });
        Assert.Contains(vehicles, v => v.MileageReadings.Any(m => m.Source == MileageSource.ServiceVisit && m.Unit == MileageUnit.Miles));
        Assert.Contains(vehicles, v => v.FuelType == FuelType.Electric && v.Transmission == Transmission.Automatic);

        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
        Assert.Null(await ScalarAsync(connection, "PRAGMA foreign_key_check"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.NotNull(await ScalarAsync(connection, "SELECT stat FROM sqlite_stat1 WHERE idx = 'IX_Customers_DealerGroupId_LastName_FirstName'"));
    }

    [Fact]
    public async Task SeedAsync_SameSeedTwice_IdenticalDatabases()
    {
        var first = _folder.Settings("first.db");
        var second = _folder.Settings("second.db");

        await DemoDataSeeder.SeedAsync(first, new DemoSeedOptions(Customers: 700));
        await DemoDataSeeder.SeedAsync(second, new DemoSeedOptions(Customers: 700));

        Assert.Equal(await DataHashAsync(first), await DataHashAsync(second));
    }

    [Fact]
    public async Task SeedAsync_DatabaseWithCustomers_RefusesWithoutReset()
    {
        var settings = _folder.Settings();
        await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 300));
        var before = await DataHashAsync(settings);

        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 400, Seed: 7));

        Assert.True(result.AlreadySeeded);
        Assert.Equal(300, result.ExistingCustomers);
        Assert.Equal((0, 0L), (result.Customers, result.Rows));
        Assert.Equal(before, await DataHashAsync(settings));
    }

    [Fact]
    public async Task SeedAsync_Reset_ReplacesTheDataWithTheNewSeed()
    {
        var settings = _folder.Settings();
        var expected = _folder.Settings("expected.db");
        await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 300));
        await DemoDataSeeder.SeedAsync(expected, new DemoSeedOptions(Customers: 400, Seed: 7));

        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 400, Seed: 7, Reset: true));

        Assert.False(result.AlreadySeeded);
        Assert.Equal(400, result.Customers);
        await using var db = CrmDatabase.CreateContext(settings);
        Assert.Equal(400, await db.Customers.CountAsync());
        Assert.Equal(1, await db.Networks.CountAsync());
        Assert.Equal(result.Users.Count, await db.Users.CountAsync());
        // The organisation was recreated, so its ids moved on: compare the customers' own data.
        Assert.Equal(await CustomerHashAsync(expected), await CustomerHashAsync(settings));
    }

    [Fact]
    public async Task SeedAsync_ResetAfterImports_RemovesTheImportedDataAndItsFileAudit()
    {
        var settings = _folder.Settings();
        await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 200));
        string dealer;
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            dealer = await db.Dealers.Where(d => d.DmsProvider == DefaultImportProfiles.Roadstar).Select(d => d.Code).FirstAsync();
        }

        var store = _folder.PathOf("store");
        var samples = _folder.PathOf("samples");
        await ImportSamples.CopyToAsync(DefaultImportProfiles.Roadstar, samples, CancellationToken.None);
        foreach (var sample in ImportSamples.Of(DefaultImportProfiles.Roadstar))
        {
            using var output = new StringWriter();
            var code = await AutomotiveCrm.Web.Hosting.CommandLine.RunAsync(
                ["import", "--dealer", dealer, Path.Combine(samples, sample.FileName), $"--ConnectionStrings:Crm={settings.ConnectionString}",
                 $"--Imports:StorePath={store}"], output, output);
            Assert.True(code == 0, output.ToString());
        }

        await using (var db = CrmDatabase.CreateContext(settings))
        {
            Assert.True(await db.ImportFiles.CountAsync() >= 10);
            Assert.True(await db.ServiceVisits.AnyAsync());
        }

        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 150, Reset: true));

        Assert.Equal(150, result.Customers);
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            Assert.Equal(150, await db.Customers.CountAsync());
            // The demo's own campaign results add visits and sales of no import file: imported ones must all be gone.
            Assert.Equal((0, 0, 0, 0, 0), (await db.ImportFiles.CountAsync(), await db.ServiceVisits.CountAsync(v => v.SourceFileId != null),
                await db.DmsRecords.CountAsync(), await db.VehicleSales.CountAsync(s => s.SourceFileId != null), await db.StockVehicles.CountAsync()));
        }
    }

    [Fact]
    public async Task SeedAsync_FreshLoadCancelledHalfWay_LeavesTheEmptyDatabaseWithAllItsIndexes()
    {
        var settings = _folder.Settings();
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            await CrmDatabase.MigrateAsync(db);
        }

        var indexesBefore = await IndexNamesAsync(settings);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.CustomersWritten > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 60_000), progress, cancel.Token));

        SqliteConnection.ClearAllPools();
        Assert.Equal(indexesBefore, await IndexNamesAsync(settings));
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            Assert.False(await db.Customers.IgnoreQueryFilters().AnyAsync());
            Assert.False(await db.Vehicles.IgnoreQueryFilters().AnyAsync());
        }

        // And the database takes a complete load afterwards.
        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 500));
        Assert.Equal(500, result.Customers);
        Assert.Equal(indexesBefore, await IndexNamesAsync(settings));
    }

    private static async Task<List<string>> IndexNamesAsync(DatabaseSettings settings)
    {
        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        Assert.True(names.Count > 20, "the migrated schema has its indexes");
        return names;
    }

    private sealed class SynchronousProgress(Action<DemoSeedProgress> report) : IProgress<DemoSeedProgress>
    {
        public void Report(DemoSeedProgress value) => report(value);
    }

    [Fact]
    public async Task SqliteBulkPath_WritesTheRowsEfCoreWrites()
    {
        var bulk = _folder.Settings("bulk.db");
        var ef = _folder.Settings("ef.db");
        var bulkRows = await PrepareAsync(bulk);
        var efRows = await PrepareAsync(ef);

        await using (var db = CrmDatabase.CreateContext(bulk))
        await using (var connection = new SqliteConnection(bulk.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            Write(connection, new SqliteTable<WholesaleCustomer>(db.Model), bulkRows.Wholesale);
            Write(connection, new SqliteTable<Customer>(db.Model), bulkRows.Customers);
            Write(connection, new SqliteTable<CustomerAddress>(db.Model), bulkRows.Addresses);
            Write(connection, new SqliteTable<CustomerEmail>(db.Model), bulkRows.Emails);
            Write(connection, new SqliteTable<CustomerPhone>(db.Model), bulkRows.Phones);
            Write(connection, new SqliteTable<ConsentRecord>(db.Model), bulkRows.Consents);
            Write(connection, new SqliteTable<Vehicle>(db.Model), bulkRows.Vehicles);
            Write(connection, new SqliteTable<PlateRegistration>(db.Model), bulkRows.Plates);
            Write(connection, new SqliteTable<MileageReading>(db.Model), bulkRows.Mileage);
            Write(connection, new SqliteTable<Relationship>(db.Model), bulkRows.Relationships);
            await transaction.CommitAsync();
        }

        await using (var db = CrmDatabase.CreateContext(ef))
        {
            db.Customers.AddRange(efRows.Customers);
            db.Vehicles.AddRange(efRows.Vehicles);
            db.Relationships.AddRange(efRows.Relationships);
            await db.SaveChangesAsync();
        }

        foreach (var table in DataTables)
        {
            Assert.Equal(await RawRowsAsync(ef, table), await RawRowsAsync(bulk, table));
        }
    }

    [Fact]
    public async Task SqliteInsert_WithoutNativeBinding_WritesTheSameRows()
    {
        var native = _folder.Settings("native.db");
        var managed = _folder.Settings("managed.db");
        var nativeRows = await PrepareAsync(native);
        var managedRows = await PrepareAsync(managed);

        await WriteCustomersAsync(native, nativeRows, nativeBinding: true);
        await WriteCustomersAsync(managed, managedRows, nativeBinding: false);

        Assert.True(SqliteNative.IsAvailable);
        foreach (var table in new[] { "WholesaleCustomers", "Customers", "CustomerAddresses", "CustomerEmails", "CustomerPhones", "ConsentRecords" })
        {
            Assert.Equal(await RawRowsAsync(managed, table), await RawRowsAsync(native, table));
        }
    }

    [Fact]
    public async Task SeedAsync_EfCorePathOnSqlite_SameCustomersAsTheBulkPath()
    {
        var bulk = _folder.Settings("bulk.db");
        var ef = _folder.Settings("ef.db");
        await DemoDataSeeder.SeedAsync(bulk, new DemoSeedOptions(Customers: 300));

        var result = await DemoDataSeeder.SeedAsync(ef, new DemoSeedOptions(Customers: 300), progress: null, forceEfCore: true, CancellationToken.None);

        Assert.Equal(300, result.Customers);
        Assert.Equal(await CustomerHashAsync(bulk), await CustomerHashAsync(ef));
        await using var db = CrmDatabase.CreateContext(ef);
        var customers = await db.Customers.AsNoTracking()
            .Include(c => c.WholesaleCustomer).Include(c => c.Addresses).Include(c => c.Emails).Include(c => c.Phones)
            .AsSplitQuery().ToListAsync();
        Assert.All(customers, c =>
        {
            var recomposed = new WholesaleCustomer { NetworkId = c.WholesaleCustomer!.NetworkId };
            WholesaleComposer.Compose(recomposed, [c]);
            Assert.NotEmpty(c.WholesaleCustomer.FieldSources);
            Assert.Equal(recomposed.FieldSources, c.WholesaleCustomer.FieldSources);
            Assert.Equal((recomposed.LastName, recomposed.Email, recomposed.Postcode),
                (c.WholesaleCustomer.LastName, c.WholesaleCustomer.Email, c.WholesaleCustomer.Postcode));
        });
        RelationshipRules.EnsureNoOverlap(await db.Relationships.AsNoTracking().ToListAsync());
        Assert.Equal(result.Rows, await CountAllRowsAsync(db));
    }

    [Fact]
    public async Task LoadPlantedDuplicates_SeededDatabase_PairsEveryDuplicateWithItsOriginal()
    {
        var settings = _folder.Settings();
        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(Customers: 600));
        await using var db = CrmDatabase.CreateContext(settings);

        var pairs = await DemoSourceReference.LoadPlantedDuplicatesAsync(db);

        Assert.Equal(result.PlantedDuplicates, pairs.Count);
        var people = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id);
        Assert.All(pairs, p =>
        {
            Assert.True(DemoSourceReference.TryParse(people[p.DuplicateId].SourceReference, out _, out var original));
            Assert.True(DemoSourceReference.TryParse(people[p.OriginalId].SourceReference, out var index, out _));
            Assert.Equal(original, index);
            // Whatever the errors, something of the person survives: a name, the date of birth or the phone.
            var (d, o) = (people[p.DuplicateId], people[p.OriginalId]);
            Assert.True(d.LastName == o.LastName || d.FirstName == o.FirstName || d.DateOfBirth == o.DateOfBirth || d.LastName == o.FirstName);
        });
    }

    private static async Task<DemoRows> PrepareAsync(DatabaseSettings settings)
    {
        await using var db = CrmDatabase.CreateContext(settings);
        await CrmDatabase.MigrateAsync(db);
        var organisation = await DemoOrganisation.EnsureAsync(db, CancellationToken.None);
        return DemoRows.Allocate(new DemoDataGenerator(organisation, 20261123, 250).Generate(0, 1), new DemoIds());
    }

    private static void Write<T>(SqliteConnection connection, SqliteTable<T> table, T[] rows, bool? nativeBinding = null)
        where T : class
    {
        var buffer = table.CreateBuffer();
        table.Encode(rows, buffer);
        using var insert = new SqliteInsert(connection, table.Name, table.Columns, nativeBinding);
        insert.Insert(buffer);
    }

    private static async Task WriteCustomersAsync(DatabaseSettings settings, DemoRows rows, bool nativeBinding)
    {
        await using var db = CrmDatabase.CreateContext(settings);
        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Write(connection, new SqliteTable<WholesaleCustomer>(db.Model), rows.Wholesale, nativeBinding);
        Write(connection, new SqliteTable<Customer>(db.Model), rows.Customers, nativeBinding);
        Write(connection, new SqliteTable<CustomerAddress>(db.Model), rows.Addresses, nativeBinding);
        Write(connection, new SqliteTable<CustomerEmail>(db.Model), rows.Emails, nativeBinding);
        Write(connection, new SqliteTable<CustomerPhone>(db.Model), rows.Phones, nativeBinding);
        Write(connection, new SqliteTable<ConsentRecord>(db.Model), rows.Consents, nativeBinding);
        await transaction.CommitAsync();
    }

    /// <summary>Every row of a table as SQLite stores it: quote() shows the storage class (1 vs '1') and the exact text.</summary>
    private static async Task<List<string>> RawRowsAsync(DatabaseSettings settings, string table)
    {
        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(" || '|' || ", columns.Select(c => $"quote(\"{c}\")"))} FROM \"{table}\" ORDER BY 1";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    /// <summary>A hash of every row of the demo data tables.</summary>
    private static async Task<string> DataHashAsync(DatabaseSettings settings)
    {
        var text = new StringBuilder();
        foreach (var table in DataTables)
        {
            text.Append(table).Append('\n').AppendJoin('\n', await RawRowsAsync(settings, table));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A hash of the customers' own data in demo order, independent of the ids the database gave.</summary>
    private static async Task<string> CustomerHashAsync(DatabaseSettings settings)
    {
        await using var db = CrmDatabase.CreateContext(settings);
        var customers = await db.Customers.AsNoTracking()
            .Include(c => c.Addresses).Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Consents)
            .AsSplitQuery().ToListAsync();
        var text = new StringBuilder();
        foreach (var c in customers.OrderBy(c => c.SourceReference, StringComparer.Ordinal))
        {
            text.Append(c.SourceReference).Append('|').Append(c.FirstName).Append('|').Append(c.MiddleName).Append('|').Append(c.LastName)
                .Append('|').Append(c.CompanyName).Append('|').Append(c.DateOfBirth).Append('|').Append(c.CreatedAt.Ticks).Append('|')
                .Append(c.PaymentMethod).Append('|').Append(c.Source).Append('|').AppendJoin(',', c.Addresses.Select(a => a.Postcode))
                .Append('|').AppendJoin(',', c.Emails.OrderBy(e => e.Address).Select(e => e.Address))
                .Append('|').AppendJoin(',', c.Phones.OrderBy(p => p.Number).Select(p => p.Number))
                .Append('|').AppendJoin(',', c.Consents.OrderBy(r => r.RecordedAt).ThenBy(r => r.Channel).Select(r => $"{r.Channel}{r.Purpose}{r.Status}{r.RecordedAt.Ticks}"))
                .Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static async Task<long> CountAllRowsAsync(CrmDbContext db)
    {
        long rows = 0;
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
        {
            var sql = "SELECT COUNT(*) AS \"Value\" FROM \"" + table + "\"";
            rows += await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
        }

        return rows;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
