using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>Reads <c>Database:*</c> and <c>ConnectionStrings:Crm</c> into <see cref="DatabaseSettings"/>, with clear errors.</summary>
public static class DatabaseConfiguration
{
    public static DatabaseSettings Read(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Database");
        var providerText = section["Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"Configuration Database:Provider is '{providerText}': use Sqlite, PostgreSql or SqlServer.");
        }

        var connection = configuration.GetConnectionString("Crm");
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = provider == DatabaseProvider.Sqlite
                ? DatabaseSettings.DefaultSqliteConnection
                : throw new InvalidOperationException($"Configuration ConnectionStrings:Crm is empty: {provider} needs a connection string.");
        }

        var settings = new DatabaseSettings
        {
            Provider = provider,
            ConnectionString = connection,
            SeedDemoDataOnStartup = section.GetValue("SeedDemoDataOnStartup", false),
            DemoCustomers = section.GetValue("DemoCustomers", 5000),
            DemoImportSamples = section.GetValue("DemoImportSamples", false),
            DemoDedup = section.GetValue("DemoDedup", true),
        };
        return CrmDatabase.ResolvePaths(settings, contentRoot);
    }
}
