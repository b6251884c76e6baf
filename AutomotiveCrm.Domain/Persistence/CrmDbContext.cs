using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Stock;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>
/// The one model of the CRM. Each database provider has a derived context with its own migrations
/// (<see cref="SqliteCrmDbContext"/>, <see cref="PostgresCrmDbContext"/>, <see cref="SqlServerCrmDbContext"/>);
/// application code only ever sees this base type, through <c>IDbContextFactory&lt;CrmDbContext&gt;</c>.
/// </summary>
/// <remarks>
/// Adding a migration (repeat for each provider; nothing connects to a database):
/// <code>
/// dotnet ef migrations add NAME --project AutomotiveCrm.Domain --context SqliteCrmDbContext --output-dir Persistence/Migrations/Sqlite
/// dotnet ef migrations add NAME --project AutomotiveCrm.Domain --context PostgresCrmDbContext --output-dir Persistence/Migrations/PostgreSql
/// dotnet ef migrations add NAME --project AutomotiveCrm.Domain --context SqlServerCrmDbContext --output-dir Persistence/Migrations/SqlServer
/// </code>
/// </remarks>
public abstract partial class CrmDbContext(DbContextOptions options) : IdentityDbContext<CrmUser>(options)
{
    public DbSet<Network> Networks => Set<Network>();
    public DbSet<Brand> Brands => Set<Brand>();
    public DbSet<DealerGroup> DealerGroups => Set<DealerGroup>();
    public DbSet<Dealer> Dealers => Set<Dealer>();
    public DbSet<DealerBrand> DealerBrands => Set<DealerBrand>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerAddress> CustomerAddresses => Set<CustomerAddress>();
    public DbSet<CustomerEmail> CustomerEmails => Set<CustomerEmail>();
    public DbSet<CustomerPhone> CustomerPhones => Set<CustomerPhone>();
    public DbSet<WholesaleCustomer> WholesaleCustomers => Set<WholesaleCustomer>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<PlateRegistration> PlateRegistrations => Set<PlateRegistration>();
    public DbSet<MileageReading> MileageReadings => Set<MileageReading>();
    public DbSet<Relationship> Relationships => Set<Relationship>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ImportProfile> ImportProfiles => Set<ImportProfile>();
    public DbSet<ImportFile> ImportFiles => Set<ImportFile>();
    public DbSet<ImportReject> ImportRejects => Set<ImportReject>();
    public DbSet<ImportDuplicate> ImportDuplicates => Set<ImportDuplicate>();
    public DbSet<ImportStagingRow> ImportStaging => Set<ImportStagingRow>();
    public DbSet<DmsRecord> DmsRecords => Set<DmsRecord>();
    public DbSet<ImportReportSubscription> ImportReportSubscriptions => Set<ImportReportSubscription>();
    public DbSet<ServiceVisit> ServiceVisits => Set<ServiceVisit>();
    public DbSet<ServiceLabourLine> ServiceLabourLines => Set<ServiceLabourLine>();
    public DbSet<ServicePartLine> ServicePartLines => Set<ServicePartLine>();
    public DbSet<WorkshopBooking> WorkshopBookings => Set<WorkshopBooking>();
    public DbSet<WorkshopTransaction> WorkshopTransactions => Set<WorkshopTransaction>();
    public DbSet<VehicleSale> VehicleSales => Set<VehicleSale>();
    public DbSet<StockVehicle> StockVehicles => Set<StockVehicle>();
    public DbSet<SystemNotification> SystemNotifications => Set<SystemNotification>();
    public DbSet<DedupRuleSet> DedupRuleSets => Set<DedupRuleSet>();
    public DbSet<DedupRun> DedupRuns => Set<DedupRun>();
    public DbSet<MatchCandidate> MatchCandidates => Set<MatchCandidate>();
    public DbSet<RecordMerge> RecordMerges => Set<RecordMerge>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignContent> CampaignContents => Set<CampaignContent>();
    public DbSet<AudienceTemplate> AudienceTemplates => Set<AudienceTemplate>();
    public DbSet<CampaignRun> CampaignRuns => Set<CampaignRun>();
    public DbSet<CampaignRunMember> CampaignRunMembers => Set<CampaignRunMember>();
    public DbSet<CampaignMessage> CampaignMessages => Set<CampaignMessage>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<Campaigns.Scheduling.CampaignSchedule> CampaignSchedules => Set<Campaigns.Scheduling.CampaignSchedule>();
    public DbSet<Campaigns.Content.CampaignImage> CampaignImages => Set<Campaigns.Content.CampaignImage>();

    /// <summary>Who changes data through this context; stamped on every audit row (see <see cref="AuditInterceptor"/>).</summary>
    public AuditActor Actor { get; set; } = AuditActor.System;

    public abstract DatabaseProvider Provider { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        ApplyTenantFilters(builder);
        ApplyRewardsTenantFilters(builder);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves with the model's cross-record rules applied in one transaction: history rows stay append-only,
    /// relationship periods never overlap, every wholesale record linked to a changed retail record is recomputed
    /// from the database state this save produced, and the audit rows of all of it are written (by the
    /// <see cref="AuditInterceptor"/>) before the commit.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        SaveRules.EnsureAppendOnly(this);
        EnsureLedgerConsistent();
        await SaveRules.TouchCustomersOfChangedContactsAsync(this, cancellationToken);
        await SaveRules.EnsureRelationshipsValidAsync(this, cancellationToken);
        var wholesaleIds = await WholesaleSync.PrepareAsync(this, cancellationToken);
        if (!ChangeTracker.HasChanges())
        {
            return 0;
        }

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            int written;
            if (wholesaleIds.Count == 0)
            {
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            else
            {
                // The retail rows must be accepted before the wholesale rows are saved, or the second save would
                // insert them again: with a recompute to follow, changes are accepted whatever the caller asked.
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
                await WholesaleSync.RecomputeAsync(this, wholesaleIds, cancellationToken);
                written += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }
}
