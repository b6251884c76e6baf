namespace AutomotiveCrm.Domain.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>
/// Configuration: <c>Database:Provider</c> (Sqlite | PostgreSql | SqlServer) and <c>ConnectionStrings:Crm</c>.
/// A relative SQLite data source is resolved against the content root, so the default lands in <c>data/</c>
/// beside the app whatever the working directory.
/// </summary>
public sealed class DatabaseSettings
{
    public const string DefaultSqliteConnection = "Data Source=data/automotive-crm.db";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; init; } = DefaultSqliteConnection;
    /// <summary>Seed the demo data at start-up when the database holds no customers.</summary>
    public bool SeedDemoDataOnStartup { get; init; }
    public int DemoCustomers { get; init; } = 5000;
    /// <summary>
    /// After seeding the demo data at start-up, drop both DMS providers' sample files into a demo dealer's inbox
    /// each, so the import monitor shows real files on a first run.
    /// </summary>
    public bool DemoImportSamples { get; init; }
    /// <summary>After seeding the demo data at start-up, run the first dedup pass (<see cref="DemoData.DemoDedup"/>), so stewards find a queue.</summary>
    public bool DemoDedup { get; init; } = true;
}
