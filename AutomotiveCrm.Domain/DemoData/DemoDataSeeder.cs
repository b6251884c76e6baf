using System.Diagnostics;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>What to seed: retail customer records (planted duplicates included), the random seed, and whether to wipe first.</summary>
public sealed record DemoSeedOptions(int Customers = 5000, int Seed = 20261123, bool Reset = false);

public enum DemoSeedStage
{
    Migrating,
    Resetting,
    Writing,
    Finished,
}

/// <summary>Progress of a seeding run, reported per stage and after every written batch.</summary>
public sealed record DemoSeedProgress(DemoSeedStage Stage, int CustomersWritten, int CustomersTotal, long RowsWritten, double Seconds);

/// <summary>One customer and one of its vehicles per dealer group, to open in the UI after seeding.</summary>
public sealed record DemoGroupSample(string GroupCode, long? CustomerId, long? VehicleId);

/// <summary>
/// The outcome of a seeding run. <see cref="AlreadySeeded"/> means nothing was written because the database already
/// held <see cref="ExistingCustomers"/> customers and Reset was not asked for. <see cref="Rows"/> counts every row
/// inserted, in all tables (organisation rows included when this run created them).
/// </summary>
public sealed record DemoSeedResult(
    bool AlreadySeeded,
    long ExistingCustomers,
    int Customers,
    int PlantedDuplicates,
    long Rows,
    double Seconds,
    IReadOnlyList<DemoGroupSample> Groups)
{
    public string Describe() => AlreadySeeded
        ? $"Demo data not seeded: the database already holds {ExistingCustomers} customers (seed with Reset to replace them)."
        : $"Seeded {Customers} customers ({PlantedDuplicates} planted duplicates), {Rows} rows in {Seconds:F1} s.";
}

/// <summary>
/// Seeds the demo data set (see <see cref="DemoDataGenerator"/>) into the configured database.
/// </summary>
/// <remarks>
/// The database is migrated first. A database that already has customers is left alone unless
/// <see cref="DemoSeedOptions.Reset"/> is set, which deletes every row of the tables the demo writes (organisation,
/// customers, wholesale records, vehicles, relationships, consents) before seeding; a table of another feature
/// that still references those rows makes the reset fail and roll back rather than lose data silently.
/// <para>
/// On SQLite the rows are written by <see cref="SqliteDemoLoader"/> (prepared statements bound from the EF model,
/// ids assigned here, one transaction per <see cref="SqliteDemoLoader.CustomersPerTransaction"/> customers). On the
/// server providers they go through EF Core in batches, with the context's save rules: each batch's wholesale
/// records are recomputed by the wholesale sync in the same transaction (so their UpdatedAt is the save time),
/// which is fast enough for demo sizes. An interrupted run leaves the batches already committed; reseed with Reset.
/// </para>
/// </remarks>
public static class DemoDataSeeder
{
    private const int EfCoreBlocksPerBatch = 5;

    public static Task<DemoSeedResult> SeedAsync(DatabaseSettings settings, DemoSeedOptions options,
        IProgress<DemoSeedProgress>? progress = null, CancellationToken cancellationToken = default) =>
        SeedAsync(settings, options, progress, forceEfCore: false, cancellationToken);

    /// <summary><paramref name="forceEfCore"/> takes the provider-neutral path on SQLite too (tests compare the two).</summary>
    internal static async Task<DemoSeedResult> SeedAsync(DatabaseSettings settings, DemoSeedOptions options,
        IProgress<DemoSeedProgress>? progress, bool forceEfCore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Customers, DemoDataGenerator.MaxCustomers, nameof(options));

        var clock = Stopwatch.StartNew();
        void Report(DemoSeedStage stage, int customers = 0, long rows = 0) =>
            progress?.Report(new DemoSeedProgress(stage, customers, options.Customers, rows, clock.Elapsed.TotalSeconds));

        await using var db = CrmDatabase.CreateContext(settings);
        Report(DemoSeedStage.Migrating);
        await CrmDatabase.MigrateAsync(db, cancellationToken);

        var existing = await db.Customers.LongCountAsync(cancellationToken);
        if (existing > 0 && !options.Reset)
        {
            return new DemoSeedResult(true, existing, 0, 0, 0, clock.Elapsed.TotalSeconds, []);
        }

        if (options.Reset)
        {
            Report(DemoSeedStage.Resetting);
            await ResetAsync(db, cancellationToken);
        }

        var organisation = await DemoOrganisation.EnsureAsync(db, cancellationToken);
        var generator = new DemoDataGenerator(organisation, options.Seed, options.Customers);
        var organisationRows = organisation.Created ? organisation.RowCount : 0;
        Report(DemoSeedStage.Writing, 0, organisationRows);

        var load = settings.Provider == DatabaseProvider.Sqlite && !forceEfCore
            ? await SqliteDemoLoader.LoadAsync(settings.ConnectionString, db.Model, generator,
                (customers, rows) => Report(DemoSeedStage.Writing, customers, organisationRows + rows), cancellationToken)
            : await LoadWithEfCoreAsync(settings, generator,
                (customers, rows) => Report(DemoSeedStage.Writing, customers, organisationRows + rows), cancellationToken);

        var groups = organisation.Groups
            .Select(g => load.Samples.TryGetValue(g.Id, out var s)
                ? new DemoGroupSample(g.Code, s.CustomerId, s.VehicleId)
                : new DemoGroupSample(g.Code, null, null))
            .ToList();
        var result = new DemoSeedResult(false, existing, load.Customers, load.Duplicates, organisationRows + load.Rows,
            clock.Elapsed.TotalSeconds, groups);
        Report(DemoSeedStage.Finished, result.Customers, result.Rows);
        return result;
    }

    /// <summary>
    /// Deletes every row of the demo's tables, children first, in one transaction. Bulk deletes bypass the
    /// context's append-only rule on consents and mileage on purpose: a reset wipes history along with its owners.
    /// </summary>
    private static async Task ResetAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ConsentRecords.ExecuteDeleteAsync(cancellationToken);
        await db.Relationships.ExecuteDeleteAsync(cancellationToken);
        await db.MileageReadings.ExecuteDeleteAsync(cancellationToken);
        await db.PlateRegistrations.ExecuteDeleteAsync(cancellationToken);
        await db.CustomerAddresses.ExecuteDeleteAsync(cancellationToken);
        await db.CustomerEmails.ExecuteDeleteAsync(cancellationToken);
        await db.CustomerPhones.ExecuteDeleteAsync(cancellationToken);
        await db.Customers.ExecuteDeleteAsync(cancellationToken);
        await db.WholesaleCustomers.ExecuteDeleteAsync(cancellationToken);
        await db.Vehicles.ExecuteDeleteAsync(cancellationToken);
        await db.DealerBrands.ExecuteDeleteAsync(cancellationToken);
        await db.Dealers.ExecuteDeleteAsync(cancellationToken);
        await db.DealerGroups.ExecuteDeleteAsync(cancellationToken);
        await db.Brands.ExecuteDeleteAsync(cancellationToken);
        await db.Networks.ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The provider-neutral path: batches through EF Core, one fresh context (and transaction) per batch.</summary>
    private static async Task<DemoLoadResult> LoadWithEfCoreAsync(DatabaseSettings settings, DemoDataGenerator generator,
        Action<int, long> onBatch, CancellationToken cancellationToken)
    {
        var result = new DemoLoadResult();
        foreach (var batch in generator.Batches(EfCoreBlocksPerBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var db = CrmDatabase.CreateContext(settings);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Customers.AddRange(batch.Customers);
            db.Vehicles.AddRange(batch.Vehicles);
            db.Relationships.AddRange(batch.Relationships);
            await db.SaveChangesAsync(cancellationToken);
            result.Add(batch);
            onBatch(result.Customers, result.Rows);
        }

        return result;
    }
}
