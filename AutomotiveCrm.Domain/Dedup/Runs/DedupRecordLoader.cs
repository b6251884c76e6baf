using System.Data.Common;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>
/// Reads a network's live customers (tombstones excluded) with their primary address, two e-mails and two phones,
/// straight from the database into a <see cref="MatchStore"/>: four ordered queries merged on the customer id, no
/// entity tracking, so a million customers load in seconds. The matcher reads only these columns.
/// </summary>
public static class DedupRecordLoader
{
    /// <summary>
    /// Appends the customers to <paramref name="store"/>; with <paramref name="pendingOnly"/> only those waiting for the
    /// matcher (DedupPendingSince set). Returns the store indexes added, in customer id order.
    /// </summary>
    public static async Task<List<int>> LoadAsync(CrmDbContext db, long networkId, MatchStore store, bool pendingOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var extra = new List<DbConnection>();
        try
        {
            var filter = "JOIN \"Customers\" c ON c.\"Id\" = x.\"CustomerId\" JOIN \"DealerGroups\" g ON g.\"Id\" = c.\"DealerGroupId\" "
                + "WHERE g.\"NetworkId\" = @network AND c.\"MergedIntoId\" IS NULL" + (pendingOnly ? " AND c.\"DedupPendingSince\" IS NOT NULL" : "");

            // SQLite runs several statements on one connection at once; the server databases need one connection per
            // open reader.
            var sqlite = db.Database.ProviderName?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
            async Task<DbConnection> ConnectionForReader()
            {
                if (sqlite)
                {
                    return connection;
                }

                var other = DbProviderFactories.GetFactory(connection)?.CreateConnection()
                    ?? throw new InvalidOperationException("The database provider cannot open another connection.");
                other.ConnectionString = db.Database.GetConnectionString();
                extra.Add(other);
                await other.OpenAsync(cancellationToken);
                return other;
            }

            await using var addresses = await ChildCursor.OpenAsync(await ConnectionForReader(), networkId,
                $"SELECT x.\"CustomerId\", x.\"Line1\", x.\"Line2\", x.\"City\", x.\"Region\", x.\"Postcode\", x.\"CountryCode\" FROM \"CustomerAddresses\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                cancellationToken);
            await using var emails = await ChildCursor.OpenAsync(await ConnectionForReader(), networkId,
                $"SELECT x.\"CustomerId\", x.\"NormalisedAddress\" FROM \"CustomerEmails\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                cancellationToken);
            await using var phones = await ChildCursor.OpenAsync(await ConnectionForReader(), networkId,
                $"SELECT x.\"CustomerId\", x.\"Number\" FROM \"CustomerPhones\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                cancellationToken);

            var added = new List<int>();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT c.\"Id\", c.\"DealerGroupId\", c.\"Version\", c.\"FirstName\", c.\"LastName\", c.\"DateOfBirth\" FROM \"Customers\" c "
                + "JOIN \"DealerGroups\" g ON g.\"Id\" = c.\"DealerGroupId\" WHERE g.\"NetworkId\" = @network AND c.\"MergedIntoId\" IS NULL"
                + (pendingOnly ? " AND c.\"DedupPendingSince\" IS NOT NULL" : "") + " ORDER BY c.\"Id\"";
            AddNetwork(command, networkId);
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var record = new MatchRecord();
            while (await reader.ReadAsync(cancellationToken))
            {
                record.Clear();
                var id = reader.GetInt64(0);
                record.Id = id;
                record.GroupId = reader.GetInt64(1);
                record.Version = reader.GetInt32(2);
                record.FirstName = reader.IsDBNull(3) ? null : reader.GetString(3);
                record.LastName = reader.IsDBNull(4) ? null : reader.GetString(4);
                record.DateOfBirth = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5);

                // The child rows come in customer id order too: each cursor moves on to this customer. The first
                // address row is the primary one; e-mails and phones keep the first two.
                if (await addresses.MoveToAsync(id, cancellationToken))
                {
                    var a = addresses.Reader;
                    (record.Line1, record.Line2, record.City, record.Region, record.Postcode, record.CountryCode) =
                        (Text(a, 1), Text(a, 2), Text(a, 3), Text(a, 4), Text(a, 5), Text(a, 6));
                }

                if (await emails.MoveToAsync(id, cancellationToken))
                {
                    record.Email = Text(emails.Reader, 1);
                    if (await emails.NextOfSameAsync(cancellationToken))
                    {
                        record.Email2 = Text(emails.Reader, 1);
                    }
                }

                if (await phones.MoveToAsync(id, cancellationToken))
                {
                    record.Phone = Text(phones.Reader, 1);
                    if (await phones.NextOfSameAsync(cancellationToken))
                    {
                        record.Phone2 = Text(phones.Reader, 1);
                    }
                }

                added.Add(store.Add(record));
            }

            return added;
        }
        finally
        {
            foreach (var other in extra)
            {
                await other.DisposeAsync();
            }

            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static void AddNetwork(DbCommand command, long networkId)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@network";
        parameter.Value = networkId;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// A reader over child rows ordered by customer id, moved forward in step with the customers: nothing is held in
    /// memory beyond the current row.
    /// </summary>
    private sealed class ChildCursor : IAsyncDisposable
    {
        private readonly DbCommand _command;
        private bool _hasRow;
        private long _id;

        private ChildCursor(DbCommand command, DbDataReader reader)
        {
            _command = command;
            Reader = reader;
        }

        public DbDataReader Reader { get; }

        public static async Task<ChildCursor> OpenAsync(DbConnection connection, long networkId, string sql, CancellationToken cancellationToken)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            AddNetwork(command, networkId);
            var cursor = new ChildCursor(command, await command.ExecuteReaderAsync(cancellationToken));
            await cursor.ReadAsync(cancellationToken);
            return cursor;
        }

        /// <summary>Skips rows of earlier customers; true when the current row is the first of customer <paramref name="id"/>.</summary>
        public async Task<bool> MoveToAsync(long id, CancellationToken cancellationToken)
        {
            while (_hasRow && _id < id)
            {
                await ReadAsync(cancellationToken);
            }

            return _hasRow && _id == id;
        }

        /// <summary>Moves to the next row; true when it belongs to the same customer.</summary>
        public async Task<bool> NextOfSameAsync(CancellationToken cancellationToken)
        {
            var id = _id;
            await ReadAsync(cancellationToken);
            return _hasRow && _id == id;
        }

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            _hasRow = await Reader.ReadAsync(cancellationToken);
            _id = _hasRow ? Reader.GetInt64(0) : long.MaxValue;
        }

        public async ValueTask DisposeAsync()
        {
            await Reader.DisposeAsync();
            await _command.DisposeAsync();
        }
    }
}
