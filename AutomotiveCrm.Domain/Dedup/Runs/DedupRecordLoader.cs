using System.Data.Common;
using System.Threading.Channels;
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
    private const int BatchSize = 4096;

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

            // Reading (this thread) and normalising (the others) overlap: batches of raw records pass through a small
            // channel; normalising a batch is split over the cores, and appending to the store keeps the order.
            var added = new List<int>();
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var batches = Channel.CreateBounded<List<MatchRecord>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            var consumer = Task.Run(async () =>
            {
                try
                {
                    var parts = Math.Clamp(Environment.ProcessorCount, 1, 2);
                    var normalisers = Enumerable.Range(0, parts).Select(_ => new MatchNormaliser()).ToArray();
                    await foreach (var batch in batches.Reader.ReadAllAsync(failed.Token))
                    {
                        var normalised = new NormalisedRecord[batch.Count];
                        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
                        {
                            for (var k = p * batch.Count / parts; k < (p + 1) * batch.Count / parts; k++)
                            {
                                normalised[k] = normalisers[p].Normalise(batch[k]);
                            }
                        });
                        foreach (var record in normalised)
                        {
                            added.Add(store.Add(record));
                        }
                    }
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            }, CancellationToken.None);

            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT c.\"Id\", c.\"DealerGroupId\", c.\"Version\", c.\"FirstName\", c.\"LastName\", c.\"DateOfBirth\" FROM \"Customers\" c "
                + "JOIN \"DealerGroups\" g ON g.\"Id\" = c.\"DealerGroupId\" WHERE g.\"NetworkId\" = @network AND c.\"MergedIntoId\" IS NULL"
                + (pendingOnly ? " AND c.\"DedupPendingSince\" IS NOT NULL" : "") + " ORDER BY c.\"Id\"";
            AddNetwork(command, networkId);
            command.CommandTimeout = 0;
            try
            {
                await using var reader = await command.ExecuteReaderAsync(failed.Token);
                var current = new List<MatchRecord>(BatchSize);
                while (await reader.ReadAsync(failed.Token))
                {
                    var id = reader.GetInt64(0);
                    var record = new MatchRecord
                    {
                        Id = id,
                        GroupId = reader.GetInt64(1),
                        Version = reader.GetInt32(2),
                        FirstName = reader.IsDBNull(3) ? null : reader.GetString(3),
                        LastName = reader.IsDBNull(4) ? null : reader.GetString(4),
                        DateOfBirth = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                    };

                    // The child rows come in customer id order too: each cursor moves on to this customer. The first
                    // address row is the primary one; e-mails and phones keep the first two.
                    if (await addresses.MoveToAsync(id, failed.Token))
                    {
                        var a = addresses.Reader;
                        (record.Line1, record.Line2, record.City, record.Region, record.Postcode, record.CountryCode) =
                            (Text(a, 1), Text(a, 2), Text(a, 3), Text(a, 4), Text(a, 5), Text(a, 6));
                    }

                    if (await emails.MoveToAsync(id, failed.Token))
                    {
                        record.Email = Text(emails.Reader, 1);
                        if (await emails.NextOfSameAsync(failed.Token))
                        {
                            record.Email2 = Text(emails.Reader, 1);
                        }
                    }

                    if (await phones.MoveToAsync(id, failed.Token))
                    {
                        record.Phone = Text(phones.Reader, 1);
                        if (await phones.NextOfSameAsync(failed.Token))
                        {
                            record.Phone2 = Text(phones.Reader, 1);
                        }
                    }

                    current.Add(record);
                    if (current.Count == BatchSize)
                    {
                        await batches.Writer.WriteAsync(current, failed.Token);
                        current = new List<MatchRecord>(BatchSize);
                    }
                }

                if (current.Count > 0)
                {
                    await batches.Writer.WriteAsync(current, failed.Token);
                }

                batches.Writer.Complete();
            }
            catch (OperationCanceledException) when (consumer.IsFaulted || (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
            {
                // The consumer failed and cancelled the reading: its exception is the one to report.
                batches.Writer.TryComplete();
            }
            catch (Exception e)
            {
                batches.Writer.TryComplete(e);
                await failed.CancelAsync();
                try
                {
                    await consumer;
            if (added.Count >= 100_000)
            {
                // Normalising a large network leaves hundreds of megabytes of short-lived strings behind; return them
                // before blocking allocates its own large arrays, so that the peak stays that of the live data.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
                }
                catch (OperationCanceledException)
                {
                    // Stopped because reading failed: the reading's exception is the one to report.
                }

                throw;
            }

            await consumer;
            if (added.Count >= 100_000)
            {
                // Normalising a large network leaves hundreds of megabytes of short-lived strings behind; return them
                // before blocking allocates its own large arrays, so that the peak stays that of the live data.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
