using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Tests.Support;

/// <summary>A database on the suite's <see cref="PostgreSqlServer"/>; dropped on dispose.</summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    private readonly PostgreSqlServer _server;
    private bool _disposed;

    internal PostgreSqlTestDatabase(PostgreSqlServer server, string name, DatabaseSettings settings)
        : base(settings, TestClock.Create())
    {
        _server = server;
        Name = name;
    }

    public string Name { get; }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _server.DropDatabaseAsync(Name, Settings.ConnectionString);
    }
}
