using System.Collections.Concurrent;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// Queues this process's redemption transactions on one SQLite file in memory. SQLite has one writer at a time; when
/// several connections of one process contend, the losers sleep in SQLite's busy handler (1, 2, 5 ... 100 ms steps)
/// although the lock is free again within a millisecond or two, which ruins the desk's latency. Waiting here instead
/// hands the lock over at once. Correctness does not depend on it: other processes still meet BEGIN IMMEDIATE and the
/// conditional updates; on server databases the gate is not used at all.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable?> EnterAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        // One gate per connection string, i.e. per connection pool: two application instances (pools) on one file
        // still contend through SQLite's own lock, as two processes would.
        var gate = Gates.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
