using System.Diagnostics;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// What to seed: retail customer records (planted duplicates included), the random seed, whether to wipe the
/// database first, and the password of the demo users (null: <see cref="DemoUsers.DefaultPassword"/>).
/// </summary>
public sealed record DemoSeedOptions(int Customers = 5000, int Seed = 20261123, bool Reset = false, string? Password = null);

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
/// inserted, in all tables: organisation, demo users and their audit rows included.
/// </summary>
public sealed record DemoSeedResult(
    bool AlreadySeeded,
    long ExistingCustomers,
    int Customers,
    int PlantedDuplicates,
    long Rows,
    double Seconds,
    IReadOnlyList<DemoGroupSample> Groups,
    IReadOnlyList<DemoUserAccount> Users)
{
    public string Describe() => AlreadySeeded
        ? $"Demo data not seeded: the database already holds {ExistingCustomers} customers (seed with Reset to replace them)."
        : $"Seeded {Customers} customers ({PlantedDuplicates} planted duplicates), {Rows} rows in {Seconds:F1} s.";
}

/// <summary>
/// Seeds the demo data set (see <see cref="DemoDataGenerator"/>) and the demo users (see <see cref="DemoUsers"/>)
/// into the configured database.
/// </summary>
/// <remarks>
/// The database is migrated first. A database that already has customers is left alone unless
/// <see cref="DemoSeedOptions.Reset"/> is set, which first deletes, in one transaction, every user and every row of
/// the tables the demo writes (customers and all that hangs off them, wholesale records, vehicles, the
/// organisation). Audit history stays. A table of another feature that still references those rows makes the reset
/// fail and roll back rather than lose data silently.
/// <para>
/// On SQLite the customer data is written by <see cref="SqliteDemoLoader"/> (ids assigned here, rows encoded from
/// the EF model, one transaction per <see cref="SqliteDemoLoader.CustomersPerTransaction"/> customers). On the server
/// providers it goes through EF Core in batches, with the context's save rules and auditing: the wholesale sync
/// recomputes each batch's wholesale records in the same transaction (so their UpdatedAt is the save time), which is
/// fast enough for demo sizes. An interrupted run leaves the batches already committed; reseed with Reset.
/// </para>
/// </remarks>
public static class DemoDataSeeder
{
    private const int EfCoreBlocksPerBatch = 5;
    private static readonly AuditActor Seeder = new(null, "demo seeder", AuditSource.System);

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
        if (options.Password is { } password && DemoUsers.PasswordProblem(password) is { } problem)
        {
            throw new ArgumentException($"Demo password refused: {problem}.", nameof(options));
        }

        var clock = Stopwatch.StartNew();
        void Report(DemoSeedStage stage, int customers = 0, long rows = 0) =>
            progress?.Report(new DemoSeedProgress(stage, customers, options.Customers, rows, clock.Elapsed.TotalSeconds));

        await using var db = CrmDatabase.CreateContext(settings);
        db.Actor = Seeder;
        Report(DemoSeedStage.Migrating);
        await CrmDatabase.MigrateAsync(db, cancellationToken);

        var existing = await db.Customers.LongCountAsync(cancellationToken);
        if (existing > 0 && !options.Reset)
        {
            return new DemoSeedResult(true, existing, 0, 0, 0, clock.Elapsed.TotalSeconds, [], []);
        }

        if (options.Reset)
        {
            Report(DemoSeedStage.Resetting);
            await ResetAsync(db, cancellationToken);
        }

        // Organisation and users go through EF Core (with auditing); their rows are counted table by table.
        var before = await CountRowsAsync(db, cancellationToken);
        var organisation = await DemoOrganisation.EnsureAsync(db, cancellationToken);
        await ImportProfileCatalog.EnsureDefaultsAsync(db, organisation.Network.Id, cancellationToken);
        var users = await DemoUsers.SeedAsync(db, organisation, options.Password, cancellationToken);
        var setupRows = await CountRowsAsync(db, cancellationToken) - before;
        Report(DemoSeedStage.Writing, 0, setupRows);

        var generator = new DemoDataGenerator(organisation, options.Seed, options.Customers);
        var (load, loadRows) = settings.Provider == DatabaseProvider.Sqlite && !forceEfCore
            ? await LoadWithSqliteAsync(settings, db, generator, (customers, rows) => Report(DemoSeedStage.Writing, customers, setupRows + rows), cancellationToken)
            : await LoadWithEfCoreAsync(settings, db, generator, (customers, rows) => Report(DemoSeedStage.Writing, customers, setupRows + rows), cancellationToken);

        loadRows += await DemoCampaignResults.SeedAsync(db, organisation, options.Seed,
            DemoDataGenerator.LastDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), cancellationToken);
        var rewardRows = await DemoRewards.SeedAsync(settings, organisation, options.Seed, cancellationToken);
        var groups = organisation.Groups
            .Select(g => load.Samples.TryGetValue(g.Id, out var s)
                ? new DemoGroupSample(g.Code, s.CustomerId, s.VehicleId)
                : new DemoGroupSample(g.Code, null, null))
            .ToList();
        var result = new DemoSeedResult(false, existing, load.Customers, load.Duplicates, setupRows + loadRows + rewardRows,
            clock.Elapsed.TotalSeconds, groups, users);
        Report(DemoSeedStage.Finished, result.Customers, result.Rows);
        return result;
    }

    /// <summary>
    /// Deletes the users and every row of the demo's tables, children first, in one transaction. Bulk deletes
    /// bypass the context's append-only rule on consents and mileage on purpose: a reset wipes history with its owners.
    /// Filters are off so that merged-away records (tombstones, hidden by the Live filter) and their rows go too.
    /// </summary>
    private static async Task ResetAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DemoUsers.DeleteAllAsync(db, cancellationToken);
        await db.MessageEvents.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.TrackedLinks.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await DemoRewards.DeleteAllAsync(db, cancellationToken);
        await db.CampaignMessages.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CampaignRunMembers.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CampaignRuns.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CampaignContents.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Campaigns.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.AudienceTemplates.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Suppressions.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RecordMerges.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.MatchCandidates.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.DedupRuns.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.DedupRuleSets.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.SystemNotifications.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportReportSubscriptions.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ServiceLabourLines.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ServicePartLines.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.WorkshopTransactions.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ServiceVisits.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.WorkshopBookings.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.VehicleSales.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.StockVehicles.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.DmsRecords.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportStaging.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportRejects.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportDuplicates.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ConsentRecords.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Relationships.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.MileageReadings.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.PlateRegistrations.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CustomerAddresses.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CustomerEmails.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.CustomerPhones.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        // SQLite checks a self-reference row by row within one DELETE: tombstones let go of their survivors first.
        await db.Customers.IgnoreQueryFilters().Where(c => c.MergedIntoId != null).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, (long?)null), cancellationToken);
        await db.Customers.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.WholesaleCustomers.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Vehicles.IgnoreQueryFilters().Where(v => v.MergedIntoId != null).ExecuteUpdateAsync(s => s.SetProperty(v => v.MergedIntoId, (long?)null), cancellationToken);
        await db.Vehicles.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.DealerBrands.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportFiles.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ImportProfiles.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Dealers.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.DealerGroups.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Brands.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Networks.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<(DemoLoadResult Load, long Rows)> LoadWithSqliteAsync(DatabaseSettings settings, CrmDbContext db,
        DemoDataGenerator generator, Action<int, long> onProgress, CancellationToken cancellationToken)
    {
        var load = await SqliteDemoLoader.LoadAsync(settings.ConnectionString, db.Model, generator, onProgress, cancellationToken);
        return (load, load.Rows);
    }

    /// <summary>
    /// The provider-neutral path: batches through EF Core, one fresh context (and transaction) per batch. Audit
    /// rows come with them, so the rows written are counted in the database rather than taken from the batches.
    /// </summary>
    private static async Task<(DemoLoadResult Load, long Rows)> LoadWithEfCoreAsync(DatabaseSettings settings, CrmDbContext db,
        DemoDataGenerator generator, Action<int, long> onBatch, CancellationToken cancellationToken)
    {
        var before = await CountRowsAsync(db, cancellationToken);
        var result = new DemoLoadResult();
        foreach (var batch in generator.Batches(EfCoreBlocksPerBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Change detection stays on: the wholesale sync recomputes the new wholesale records after the first
            // write of the save and relies on it to write them again.
            await using var batchDb = CrmDatabase.CreateContext(settings);
            batchDb.Actor = Seeder;
            batchDb.Customers.AddRange(batch.Customers);
            batchDb.Vehicles.AddRange(batch.Vehicles);
            batchDb.Relationships.AddRange(batch.Relationships);
            await batchDb.SaveChangesAsync(cancellationToken);
            result.Add(new SavedDemoBatch(batch));
            onBatch(result.Customers, result.Rows);
        }

        return (result, await CountRowsAsync(db, cancellationToken) - before);
    }

    /// <summary>Rows in every table of the model (cheap while the data tables are empty or small).</summary>
    private static async Task<long> CountRowsAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        long rows = 0;
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.GetViewName() is null && e.GetSqlQuery() is null)
            .Select(e => (Name: e.GetTableName(), Schema: e.GetSchema()))
            .Where(t => t.Name is not null)
            .Distinct();
        foreach (var (name, schema) in tables)
        {
            // Names come from the model, not from input.
            var sql = "SELECT CAST(COUNT(*) AS BIGINT) AS \"Value\" FROM " + (schema is null ? Quote(name!) : Quote(schema) + "." + Quote(name!));
            rows += await db.Database.SqlQueryRaw<long>(sql).SingleAsync(cancellationToken);
        }

        return rows;
    }

    // Double quotes are standard SQL: SQLite, PostgreSQL and SQL Server (with QUOTED_IDENTIFIER on) accept them.
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
