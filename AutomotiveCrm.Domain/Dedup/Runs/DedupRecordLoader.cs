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

        try
        {
            var filter = "JOIN \"Customers\" c ON c.\"Id\" = x.\"CustomerId\" JOIN \"DealerGroups\" g ON g.\"Id\" = c.\"DealerGroupId\" "
                + "WHERE g.\"NetworkId\" = @network AND c.\"MergedIntoId\" IS NULL" + (pendingOnly ? " AND c.\"DedupPendingSince\" IS NOT NULL" : "");
            var addresses = await ReadChildrenAsync(connection, networkId,
                $"SELECT x.\"CustomerId\", x.\"Line1\", x.\"Line2\", x.\"City\", x.\"Region\", x.\"Postcode\", x.\"CountryCode\" FROM \"CustomerAddresses\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                6, 1, cancellationToken);
            var emails = await ReadChildrenAsync(connection, networkId,
                $"SELECT x.\"CustomerId\", x.\"NormalisedAddress\" FROM \"CustomerEmails\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                1, 2, cancellationToken);
            var phones = await ReadChildrenAsync(connection, networkId,
                $"SELECT x.\"CustomerId\", x.\"Number\" FROM \"CustomerPhones\" x {filter} ORDER BY x.\"CustomerId\", x.\"IsPrimary\" DESC, x.\"Id\"",
                1, 2, cancellationToken);

            var added = new List<int>();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT c.\"Id\", c.\"DealerGroupId\", c.\"Version\", c.\"FirstName\", c.\"LastName\", c.\"DateOfBirth\" FROM \"Customers\" c "
                + "JOIN \"DealerGroups\" g ON g.\"Id\" = c.\"DealerGroupId\" WHERE g.\"NetworkId\" = @network AND c.\"MergedIntoId\" IS NULL"
                + (pendingOnly ? " AND c.\"DedupPendingSince\" IS NOT NULL" : "") + " ORDER BY c.\"Id\"";
            AddNetwork(command, networkId);
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var record = new MatchRecord();
            int a = 0, e = 0, p = 0;
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

                // The child lists are in customer id order too: advance each to this customer.
                while (a < addresses.Ids.Count && addresses.Ids[a] < id)
                {
                    a++;
                }

                if (a < addresses.Ids.Count && addresses.Ids[a] == id)
                {
                    var v = addresses.Values[a];
                    (record.Line1, record.Line2, record.City, record.Region, record.Postcode, record.CountryCode) = (v[0], v[1], v[2], v[3], v[4], v[5]);
                }

                while (e < emails.Ids.Count && emails.Ids[e] < id)
                {
                    e++;
                }

                if (e < emails.Ids.Count && emails.Ids[e] == id)
                {
                    record.Email = emails.Values[e][0];
                    record.Email2 = emails.Values[e].Length > 1 ? emails.Values[e][1] : null;
                }

                while (p < phones.Ids.Count && phones.Ids[p] < id)
                {
                    p++;
                }

                if (p < phones.Ids.Count && phones.Ids[p] == id)
                {
                    record.Phone = phones.Values[p][0];
                    record.Phone2 = phones.Values[p].Length > 1 ? phones.Values[p][1] : null;
                }

                added.Add(store.Add(record));
            }

            return added;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static void AddNetwork(DbCommand command, long networkId)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@network";
        parameter.Value = networkId;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Child rows grouped per customer: either the first row's <paramref name="columns"/> values (addresses: the
    /// primary one), or the first <paramref name="keep"/> single values (e-mails, phones).
    /// </summary>
    private static async Task<(List<long> Ids, List<string?[]> Values)> ReadChildrenAsync(DbConnection connection, long networkId, string sql,
        int columns, int keep, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var values = new List<string?[]>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        AddNetwork(command, networkId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            var same = ids.Count > 0 && ids[^1] == id;
            if (columns > 1)
            {
                if (same)
                {
                    continue;
                }

                var row = new string?[columns];
                for (var c = 0; c < columns; c++)
                {
                    row[c] = reader.IsDBNull(c + 1) ? null : reader.GetString(c + 1);
                }

                ids.Add(id);
                values.Add(row);
                continue;
            }

            var value = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (same)
            {
                var existing = values[^1];
                if (existing.Length < keep)
                {
                    values[^1] = [existing[0], value];
                }

                continue;
            }

            ids.Add(id);
            values.Add([value]);
        }

        return (ids, values);
    }
}
