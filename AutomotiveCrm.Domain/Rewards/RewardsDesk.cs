using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>One customer found at the desk, with the memberships to recognise them by.</summary>
public sealed record DeskCustomerRow(long Id, string Name, string? Phone, string? Email, string? Postcode, int Vehicles, IReadOnlyList<string> Schemes);

/// <summary>The desk's answer to a search: the customers, or why the input could not be a card number.</summary>
public sealed record DeskSearchResult(IReadOnlyList<DeskCustomerRow> Customers, string? Message);

/// <summary>A membership as the desk shows it.</summary>
public sealed record DeskAccount(RewardAccount Account, string SchemeName, decimal PointValue, IReadOnlyList<RewardAvailability> Rewards)
{
    public decimal PointsWorth => Account.PointsBalance * PointValue;
}

/// <summary>Everything the desk shows for one customer.</summary>
public sealed record DeskCustomer(
    long Id,
    string Name,
    string? Phone,
    string? Email,
    IReadOnlyList<string> Vehicles,
    IReadOnlyList<DeskAccount> Accounts,
    IReadOnlyList<Redemption> Redemptions,
    IReadOnlyList<LedgerEntry> Ledger,
    IReadOnlyList<RewardScheme> OpenSchemes,
    string Currency);

/// <summary>
/// The redemption desk's queries: find a customer by name, card number, phone, plate or VIN, and load what the
/// desk shows for them. Everything reads through the user's context, so another group's customer is simply not found.
/// </summary>
public static class RewardsDesk
{
    public static async Task<DeskSearchResult> SearchAsync(CrmDbContext db, string? input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var text = Text.Clean(input);
        if (text is null)
        {
            return new DeskSearchResult([], null);
        }

        var ids = new List<long>();
        var card = CardNumbers.Normalise(text);
        if (card is not null)
        {
            if (!CardNumbers.IsValid(card))
            {
                return new DeskSearchResult([], "Card number: the check digit does not match; please check the digits.");
            }

            ids.AddRange(await db.RewardAccounts.AsNoTracking().Where(a => a.CardNumber == card).Select(a => a.CustomerId).ToListAsync(cancellationToken));
        }

        if (ids.Count == 0)
        {
            var page = await CustomerSearch.SearchAsync(db, new CustomerFilter { Text = text }, 0, 25, cancellationToken);
            ids.AddRange(page.Rows.Select(r => r.Id));
        }

        if (ids.Count == 0)
        {
            return new DeskSearchResult([], card is not null ? "No membership has this card number." : "No customer matches.");
        }

        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.BuyerType,
                c.Title,
                c.FirstName,
                c.LastName,
                c.CompanyName,
                Phone = c.Phones.OrderByDescending(p => p.IsPrimary).Select(p => p.Number).FirstOrDefault(),
                Email = c.Emails.OrderByDescending(e => e.IsPrimary).Select(e => e.Address).FirstOrDefault(),
                Postcode = c.Addresses.OrderByDescending(a => a.IsPrimary).Select(a => a.Postcode).FirstOrDefault(),
                Vehicles = c.Relationships.Where(r => r.EndDate == null).Select(r => r.VehicleId).Distinct().Count(),
            })
            .ToListAsync(cancellationToken);
        var schemes = await db.RewardAccounts.AsNoTracking().Where(a => ids.Contains(a.CustomerId))
            .Select(a => new { a.CustomerId, a.Scheme!.Name }).ToListAsync(cancellationToken);
        var rows = customers
            .Select(c => new DeskCustomerRow(c.Id,
                new Customer { BuyerType = c.BuyerType, Title = c.Title, FirstName = c.FirstName, LastName = c.LastName, CompanyName = c.CompanyName }.DisplayName,
                c.Phone, c.Email, c.Postcode, c.Vehicles,
                schemes.Where(s => s.CustomerId == c.Id).Select(s => s.Name).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(r => ids.IndexOf(r.Id))
            .ToList();
        return new DeskSearchResult(rows, null);
    }

    public static async Task<DeskCustomer> LoadAsync(CrmDbContext db, long customerId, RedemptionPlace place, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await db.Customers.AsNoTracking().Include(c => c.Phones).Include(c => c.Emails)
            .FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(customerId);
        var facts = await RewardEligibility.LoadFactsAsync(db, customerId, cancellationToken);
        var catalogue = await RewardEligibility.CatalogueAsync(db, cancellationToken: cancellationToken);
        var accounts = facts.Accounts
            .Select(a => new DeskAccount(a, a.Scheme!.Name, a.Scheme.PointValue,
                RewardEligibility.EvaluateAll(catalogue.Where(r => r.SchemeId is null || r.SchemeId == a.SchemeId || !facts.Accounts.Any(x => x.SchemeId == r.SchemeId)),
                    facts, a, place, now)
                    .OrderByDescending(r => r.Available).ThenBy(r => r.Reward.Category).ThenBy(r => r.Reward.Name).ToList()))
            .ToList();
        var redemptions = await db.RewardRedemptions.AsNoTracking().Include(r => r.Reward).Include(r => r.Dealer)
            .Where(r => r.CustomerId == customerId).OrderByDescending(r => r.RedeemedAt).Take(25).ToListAsync(cancellationToken);
        var ledger = await db.RewardLedger.AsNoTracking().Where(e => e.CustomerId == customerId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(50).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(now);
        var memberOf = facts.Accounts.Select(a => a.SchemeId).ToList();
        var open = (await db.RewardSchemes.AsNoTracking().Where(s => s.IsActive && !memberOf.Contains(s.Id)
                && (s.DealerGroupId == null || s.DealerGroupId == customer.DealerGroupId)).OrderBy(s => s.Name).ToListAsync(cancellationToken))
            .Where(s => s.OpenOn(today)).ToList();
        var vehicles = await db.Relationships.AsNoTracking().Where(r => r.CustomerId == customerId && r.EndDate == null)
            .Select(r => new { r.Vehicle!.CurrentPlate, Make = r.Vehicle.Brand != null ? r.Vehicle.Brand.Name : r.Vehicle.Make, r.Vehicle.Model })
            .Distinct().ToListAsync(cancellationToken);
        var currency = await db.DealerGroups.AsNoTracking().Where(g => g.Id == customer.DealerGroupId).Select(g => g.Network!.Currency).FirstOrDefaultAsync(cancellationToken) ?? "";
        return new DeskCustomer(customer.Id, customer.DisplayName, customer.PrimaryPhone?.Number, customer.PrimaryEmail?.Address,
            vehicles.Select(v => string.Join(' ', new[] { v.CurrentPlate, v.Make, v.Model }.Where(p => !string.IsNullOrWhiteSpace(p)))).ToList(),
            accounts, redemptions, ledger, open, currency);
    }
}
