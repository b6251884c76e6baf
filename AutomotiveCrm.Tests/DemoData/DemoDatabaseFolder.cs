using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;

namespace AutomotiveCrm.Tests.DemoData;

/// <summary>
/// A temporary folder for SQLite database files, deleted on dispose. The demo tests create their databases
/// themselves (not from a migrated template) because creating and migrating the file is part of what the seeder does.
/// </summary>
internal sealed class DemoDatabaseFolder : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acrm-demodata-").FullName;

    /// <summary>Settings for a database file of this folder (created by whoever opens it first).</summary>
    public DatabaseSettings Settings(string name = "crm.db") => new()
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = PathOf(name) }.ToString(),
    };

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        // Pooled connections keep the files open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
