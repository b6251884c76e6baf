using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>
/// Per-connection SQLite settings. WAL (set once at migration, it is persistent) lets readers work during a write;
/// the busy timeout makes a writer wait for the lock instead of failing at once; synchronous=FULL makes a
/// committed transaction survive a power cut, which the import and rewards guarantees rely on.
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    internal const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
