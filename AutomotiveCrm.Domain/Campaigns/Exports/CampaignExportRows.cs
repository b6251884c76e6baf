using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Exports;

/// <summary>
/// The rows of the campaign exports over any source of customers (a campaign's current audience from the audience
/// compiler, a run's frozen members, a test's list). The source is asked once, for its customer ids in order; the
/// details then come in batches of ids, a handful of index-served queries per batch, so a large list never holds
/// more than one batch of entities and the (possibly heavy) audience statement runs once. Pass a context from the
/// user-scoped factory: its tenant filters apply to every detail query as well.
/// </summary>
public static class CampaignExportRows
{
    public const int BatchSize = 500;

    /// <summary>A run's frozen audience, hold-out members left out (they are never contacted).</summary>
    public static IQueryable<Customer> RunMembers(CrmDbContext db, long runId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Customers.Where(c => db.CampaignRunMembers.Any(m => m.RunId == runId && m.CustomerId == c.Id && !m.HoldOut));
    }

    /// <summary>
    /// The address labels of <paramref name="source"/>'s customers, sorted for the post: domestic addresses first, then
    /// by country, by postcode, by customer id. A customer without a deliverable address is counted, not printed.
    /// </summary>
    public static async Task<LabelSet> LabelsAsync(CrmDbContext db, IQueryable<Customer> source, string senderCountry,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        var ids = await source.Select(c => c.Id).Distinct().ToListAsync(cancellationToken);
        var labels = new List<(string Country, string Key, LabelRow Row)>(ids.Count);
        var skipped = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var names = await db.Customers.AsNoTracking().Where(c => batch.Contains(c.Id))
                .Select(c => new NameParts(c.Id, c.BuyerType, c.Title, c.FirstName, c.MiddleName, c.LastName, c.CompanyName))
                .ToListAsync(cancellationToken);
            var addresses = (await db.CustomerAddresses.AsNoTracking().Where(a => batch.Contains(a.CustomerId))
                    .Select(a => new { a.CustomerId, a.Id, a.IsPrimary, a.Line1, a.Line2, a.City, a.Region, a.Postcode, a.CountryCode })
                    .ToListAsync(cancellationToken))
                .GroupBy(a => a.CustomerId)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Id).First());
            foreach (var name in names)
            {
                if (!addresses.TryGetValue(name.Id, out var a))
                {
                    skipped++;
                    continue;
                }

                var (recipient, organisation) = Recipient(name);
                var address = new PostalAddress(recipient, organisation, a.Line1, a.Line2, a.City, a.Region, a.Postcode, a.CountryCode.ToUpperInvariant());
                if (!address.IsDeliverable)
                {
                    skipped++;
                    continue;
                }

                var domestic = address.CountryCode.Equals(senderCountry, StringComparison.OrdinalIgnoreCase);
                labels.Add(((domestic ? "0" : "1") + address.CountryCode, AddressFormat.PostcodeSortKey(address.Postcode),
                    new LabelRow(name.Id, address, AddressFormat.Lines(address, senderCountry))));
            }

            // A customer the source named but the context does not show (another group's) is neither printed nor counted.
        }

        var sorted = labels
            .OrderBy(l => l.Country, StringComparer.Ordinal)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .ThenBy(l => l.Row.CustomerId)
            .Select(l => l.Row)
            .ToList();
        return new LabelSet(sorted, skipped);
    }

    /// <summary>
    /// The call list of <paramref name="source"/>'s customers, by responsible dealer, then name. Phone marketing consent
    /// follows the audience rule over every scope: at least one brand or dealer currently opted in and none opted out.
    /// </summary>
    public static async IAsyncEnumerable<CallListRow> CallListAsync(CrmDbContext db, IQueryable<Customer> source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        var ids = await source
            .OrderBy(c => c.ResponsibleDealer == null ? null : c.ResponsibleDealer.Name)
            .ThenBy(c => c.BuyerType == BuyerType.Company ? c.CompanyName : c.LastName)
            .ThenBy(c => c.FirstName)
            .ThenBy(c => c.Id)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        var seen = new HashSet<long>();
        foreach (var batch in ids.Where(seen.Add).Chunk(BatchSize))
        {
            var customers = (await db.Customers.AsNoTracking().Where(c => batch.Contains(c.Id))
                    .Select(c => new
                    {
                        Name = new NameParts(c.Id, c.BuyerType, c.Title, c.FirstName, c.MiddleName, c.LastName, c.CompanyName),
                        Dealer = c.ResponsibleDealer == null ? null : c.ResponsibleDealer.Name,
                    })
                    .ToListAsync(cancellationToken))
                .ToDictionary(c => c.Name.Id);
            var phones = (await db.CustomerPhones.AsNoTracking().Where(p => batch.Contains(p.CustomerId))
                    .Select(p => new { p.CustomerId, p.Id, p.IsPrimary, p.Kind, p.Number })
                    .ToListAsync(cancellationToken))
                .ToLookup(p => p.CustomerId);
            var vehicles = (await db.Relationships.AsNoTracking().Where(r => batch.Contains(r.CustomerId) && r.EndDate == null)
                    .Select(r => new
                    {
                        r.CustomerId,
                        r.StartDate,
                        r.VehicleId,
                        Make = r.Vehicle!.Make ?? (r.Vehicle.Brand == null ? null : r.Vehicle.Brand.Name),
                        r.Vehicle.Model,
                        r.Vehicle.CurrentPlate,
                    })
                    .ToListAsync(cancellationToken))
                .ToLookup(r => r.CustomerId);
            var services = await db.ServiceVisits.AsNoTracking().Where(v => v.CustomerId != null && batch.Contains(v.CustomerId.Value))
                .GroupBy(v => v.CustomerId!.Value)
                .Select(g => new { CustomerId = g.Key, Last = g.Max(v => v.VisitDate) })
                .ToDictionaryAsync(s => s.CustomerId, s => s.Last, cancellationToken);
            var consents = (await db.ConsentRecords.AsNoTracking()
                    .Where(c => batch.Contains(c.CustomerId) && c.Channel == ConsentChannel.Phone && c.Purpose == ConsentPurpose.Marketing)
                    .ToListAsync(cancellationToken))
                .ToLookup(c => c.CustomerId);

            foreach (var id in batch)
            {
                if (!customers.TryGetValue(id, out var customer))
                {
                    continue;
                }

                var numbers = phones[id].OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id)
                    .Select(p => $"{PhoneDisplay.Format(p.Number)} ({p.Kind.ToString().ToLowerInvariant()})");
                var current = vehicles[id].DistinctBy(v => v.VehicleId).OrderByDescending(v => v.StartDate).ToList();
                string? vehicle = null;
                if (current.Count > 0)
                {
                    var v = current[0];
                    vehicle = Join(" ", v.Make, v.Model, v.CurrentPlate);
                    if (current.Count > 1)
                    {
                        vehicle += $" (+{current.Count - 1} more)";
                    }
                }

                var state = ConsentState.Current(consents[id]);
                var consent = state.Any(c => c.Status == ConsentStatus.OptIn) && state.All(c => c.Status != ConsentStatus.OptOut);
                yield return new CallListRow(id, DisplayName(customer.Name), string.Join(", ", numbers), vehicle,
                    services.TryGetValue(id, out var last) ? last : null, customer.Dealer, consent);
            }
        }
    }

    private sealed record NameParts(long Id, BuyerType BuyerType, string? Title, string? FirstName, string? MiddleName, string? LastName, string? CompanyName);

    private static (string? Recipient, string? Organisation) Recipient(NameParts name)
    {
        var person = Join(" ", name.Title, name.FirstName, name.MiddleName, name.LastName);
        return name.BuyerType == BuyerType.Company && !string.IsNullOrWhiteSpace(name.CompanyName)
            ? (person, name.CompanyName)
            : (person, null);
    }

    private static string DisplayName(NameParts name)
    {
        var (person, organisation) = Recipient(name);
        var text = organisation is null ? person : person is null ? organisation : $"{organisation} ({person})";
        return ExportText.SingleLine(text);
    }

    private static string? Join(string separator, params string?[] parts)
    {
        var text = string.Join(separator, parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
        return text.Length == 0 ? null : text;
    }
}
