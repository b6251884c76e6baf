using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// Fails a save after the database has executed a matching command, so that a test can prove the earlier
/// statements of the same save are rolled back. Failing before execution would prove nothing: EF may batch the
/// earlier statements into the very command that never ran.
/// </summary>
public sealed class FailAfterCommandInterceptor(Func<DbCommand, bool> matches) : DbCommandInterceptor
{
    /// <summary>Fails after the first command whose SQL contains <paramref name="sqlFragment"/>.</summary>
    public static FailAfterCommandInterceptor WhenSqlContains(string sqlFragment) =>
        new(c => c.CommandText.Contains(sqlFragment, StringComparison.Ordinal));

    public int Failures { get; private set; }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        FailIfMatching(command, result);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        FailIfMatching(command, result);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        FailIfMatching(command, null);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        FailIfMatching(command, null);
        return ValueTask.FromResult(result);
    }

    private void FailIfMatching(DbCommand command, DbDataReader? reader)
    {
        if (Failures > 0 || !matches(command))
        {
            return;
        }

        Failures++;
        // An open reader would keep the statement active and make some providers refuse the rollback.
        reader?.Dispose();
        throw new SimulatedFailureException($"Simulated failure after executing: {command.CommandText}");
    }
}
