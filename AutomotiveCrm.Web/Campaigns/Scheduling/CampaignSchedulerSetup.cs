using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;

namespace AutomotiveCrm.Web.Campaigns.Scheduling;

/// <summary>
/// The application's one Quartz scheduler, on a persistent ADO job store in the application's own database (tables
/// <c>QRTZ_*</c>, created when missing), so triggers survive restarts. On PostgreSQL and SQL Server the store is
/// clustered: several app instances share the triggers and each firing runs on exactly one of them. SQLite is a
/// single-instance database, so there the store is not clustered. Job data is serialised with System.Text.Json.
/// The imports' daily report job lives in the same scheduler.
/// </summary>
/// <remarks>
/// <para>Configuration: <c>Scheduler:Name</c> (default <c>AutomotiveCrm</c>) names the scheduler; every instance of
/// one deployment must use the same name (it is the cluster's name), and two deployments sharing a database must
/// not. <c>Scheduler:MisfireThresholdSeconds</c> (default 60): a firing later than this counts as missed and its
/// trigger's misfire policy decides what happens (see <see cref="CampaignTriggers"/>).</para>
/// <para>The scheduler starts once the database is migrated (<see cref="CampaignScheduleStartup"/>), never before.</para>
/// </remarks>
public static class CampaignSchedulerSetup
{
    public static IServiceCollection AddCrmScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = Enum.TryParse<DatabaseProvider>(configuration["Database:Provider"], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;
        var name = configuration["Scheduler:Name"] is { Length: > 0 } configured ? configured : "AutomotiveCrm";
        var misfire = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Scheduler:MisfireThresholdSeconds", 60.0), 1, 3600));
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = name;
                scheduler.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(options => options.MisfireThreshold = misfire);
                switch (provider)
                {
                    case DatabaseProvider.PostgreSql:
                        store.UsePostgres(source => source.DataSourceFactory = sp =>
                            NpgsqlDataSource.Create(sp.GetRequiredService<DatabaseSettings>().ConnectionString));
                        store.UseClustering();
                        break;
                    case DatabaseProvider.SqlServer:
                        store.UseSqlServer(source => source.DataSourceFactory = sp =>
                            Microsoft.Data.SqlClient.SqlClientFactory.Instance.CreateDataSource(sp.GetRequiredService<DatabaseSettings>().ConnectionString));
                        store.UseClustering();
                        break;
                    default:
                        store.UseSqlite(source => source.DataSourceFactory = sp =>
                            SqliteFactory.Instance.CreateDataSource(sp.GetRequiredService<DatabaseSettings>().ConnectionString));
                        break;
                }
            });
        });
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(QuartzHostedService)))
        {
            services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        }

        // The store's tables and the campaigns' rows must exist before anything fires: CampaignScheduleStartup starts
        // the scheduler after the database initializer has migrated.
        services.Configure<QuartzHostedServiceOptions>(options => options.AwaitApplicationStarted = true);
        return services;
    }
}
