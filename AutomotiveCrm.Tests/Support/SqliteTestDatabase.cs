using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// A migrated SQLite database in a temporary folder of its own, deleted on dispose.
/// </summary>
/// <remarks>
/// Migrating takes about a second; copying a file takes a millisecond. The migrations therefore run once per test
/// process into a template file (through <see cref="CrmDatabase.MigrateAsync"/>, exactly as the application does,
/// so the copy is in WAL mode too) and every database is a copy of it. Typical use, one database per test:
/// <code>
/// public sealed class WidgetTests : IDisposable
/// {
///     private readonly SqliteTestDatabase _database = new();
///     public void Dispose() =&gt; _database.Dispose();
///
///     [Fact]
///     public async Task Widget_Condition_Result()
///     {
///         await using var db = _database.CreateContext();
///         ...
///     }
/// }
/// </code>
/// For tests that must run on PostgreSQL as well, derive from <see cref="DatabaseTest"/> instead.
/// </remarks>
public sealed class SqliteTestDatabase : TestDatabase, IDisposable
{
    private const string TemplateFileName = "template.db";
    private const string DatabaseFileName = "crm.db";

    private static readonly Lazy<string> TemplatePath = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private bool _disposed;

    /// <summary>A fresh copy of the migrated template, with a clock starting at <see cref="TestClock.Start"/>.</summary>
    public SqliteTestDatabase()
        : this(TestClock.Create(), migrated: true)
    {
    }

    public SqliteTestDatabase(FakeTimeProvider clock)
        : this(clock, migrated: true)
    {
    }

    private SqliteTestDatabase(FakeTimeProvider clock, bool migrated)
        : this(Directory.CreateTempSubdirectory("acrm-sqlite-").FullName, clock, migrated)
    {
    }

    private SqliteTestDatabase(string folder, FakeTimeProvider clock, bool migrated)
        : base(SettingsFor(Path.Combine(folder, DatabaseFileName)), clock)
    {
        _folder = folder;
        FilePath = Path.Combine(folder, DatabaseFileName);
        if (migrated)
        {
            File.Copy(TemplatePath.Value, FilePath);
        }
    }

    /// <summary>The database file; other files (-wal, -shm) appear beside it while connections are open.</summary>
    public string FilePath { get; }

    /// <summary>A database that does not exist yet (no file): for tests of migrating from nothing.</summary>
    public static SqliteTestDatabase CreateEmpty() => new(TestClock.Create(), migrated: false);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Pooled connections keep the file open; close them before deleting the folder.
        ClearPool(Settings);
        Directory.Delete(_folder, recursive: true);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static DatabaseSettings SettingsFor(string path) => new()
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
    };

    private static void ClearPool(DatabaseSettings settings)
    {
        using var connection = new SqliteConnection(settings.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static string CreateTemplate()
    {
        var folder = Directory.CreateTempSubdirectory("acrm-sqlite-template-").FullName;
        var path = Path.Combine(folder, TemplateFileName);
        var settings = SettingsFor(path);

        // Task.Run: no synchronisation context to block on, whichever thread first needs the template.
        Task.Run(async () =>
        {
            await using var context = CrmDatabase.CreateContext(settings);
            await CrmDatabase.MigrateAsync(context);
            // Move everything from the write-ahead log into the main file: only the main file is copied.
            await context.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }).GetAwaiter().GetResult();
        ClearPool(settings);

        // The template lives as long as the test process; nothing else knows when the last test has copied it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        };
        return path;
    }
}
