using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>Whose merge values to load: a key of the caller's (a run member, a preview), the customer and the dealer the message speaks for.</summary>
public sealed record MergeRecipient(long Key, long CustomerId, long? OnBehalfOfDealerId, string? Email);

/// <summary>
/// Loads the merge values of many recipients in four queries (customers, dealers, current relationships with their
/// vehicles), through whatever context it is given: a user's context only finds customers in the user's scope.
/// </summary>
public static class MergeDataLoader
{
    public static async Task<Dictionary<long, MergeData>> LoadAsync(CrmDbContext db, IReadOnlyCollection<MergeRecipient> recipients,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recipients);
        var customerIds = recipients.Select(m => m.CustomerId).Distinct().ToList();
        var customers = await db.Customers.Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.FirstName, c.LastName, c.CompanyName, c.ResponsibleDealerId })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var relationships = (await db.Relationships.Where(r => customerIds.Contains(r.CustomerId) && r.EndDate == null)
                .Select(r => new
                {
                    r.CustomerId, r.StartDate, r.Id, r.Type, r.PaymentMethod, r.DealerId, r.Vehicle!.Make, r.Vehicle.Model, r.Vehicle.Derivative,
                    r.Vehicle.CurrentPlate, r.Vehicle.Colour, r.Vehicle.FirstRegistrationDate,
                })
                .ToListAsync(cancellationToken))
            .GroupBy(r => r.CustomerId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.StartDate).ThenByDescending(r => r.Id).First());
        var dealerIds = recipients.Select(m => m.OnBehalfOfDealerId ?? (customers.TryGetValue(m.CustomerId, out var c) ? c.ResponsibleDealerId : null))
            .OfType<long>()
            .Concat(relationships.Values.Select(r => r.DealerId))
            .Distinct().ToList();
        var dealers = await db.Dealers.Where(d => dealerIds.Contains(d.Id))
            .Select(d => new { d.Id, Dealer = new MergeDealer(d.Name, d.Phone, d.Email, d.AddressLine1, d.City, d.Postcode) })
            .ToDictionaryAsync(d => d.Id, d => d.Dealer, cancellationToken);

        var result = new Dictionary<long, MergeData>(recipients.Count);
        foreach (var m in recipients)
        {
            if (!customers.TryGetValue(m.CustomerId, out var c))
            {
                continue;
            }

            var dealerId = m.OnBehalfOfDealerId ?? c.ResponsibleDealerId;
            var r = relationships.GetValueOrDefault(m.CustomerId);
            result[m.Key] = new MergeData(
                new MergeCustomer(c.Title, c.FirstName, c.LastName, c.CompanyName, m.Email),
                r is null ? null : new MergeVehicle(r.Make, r.Model, r.Derivative, r.CurrentPlate, r.Colour, r.FirstRegistrationDate),
                dealerId is { } id ? dealers.GetValueOrDefault(id) : null,
                r is null ? null : new MergeRelationship(r.Type.ToString(), r.StartDate, dealers.GetValueOrDefault(r.DealerId)?.Name, r.PaymentMethod?.ToString()));
        }

        return result;
    }
}
