using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Vehicles;

// Queries lower-case in SQL (ToLower().StartsWith/Contains): the StringComparison overloads CA1862 asks for do not
// translate on every provider, and PostgreSQL compares case-sensitively.
#pragma warning disable CA1862

/// <summary>A customer offered as the buyer of a sale.</summary>
public sealed record BuyerCandidate(long Id, string Name, string? Email, long GroupId, string GroupName)
{
    public override string ToString() => Email is null ? $"{Name} ({GroupName})" : $"{Name} <{Email}> ({GroupName})";
}

/// <summary>A dealer the buyer's relationship can be started with.</summary>
public sealed record DealerChoice(long Id, string Code, string Name);

/// <summary>
/// Look-ups of the "record sale / ownership transfer" dialog. They read through the user's context, so a buyer can
/// only be a customer of a group the user may see, and the dealers offered are those of the buyer's own group.
/// </summary>
public static class VehicleSaleLookup
{
    public const int MaxCandidates = 20;

    /// <summary>Customers whose name, company or e-mail starts with <paramref name="text"/> (at least two characters).</summary>
    public static async Task<IReadOnlyList<BuyerCandidate>> SearchBuyersAsync(CrmDbContext db, string? text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var term = text?.Trim().ToLowerInvariant();
        if (term is null || term.Length < 2)
        {
            return [];
        }

        var rows = await db.Customers.AsNoTracking()
            .Where(c => c.LastName!.ToLower().StartsWith(term)
                || c.FirstName!.ToLower().StartsWith(term)
                || c.CompanyName!.ToLower().StartsWith(term)
                || c.Emails.Any(e => e.NormalisedAddress.StartsWith(term)))
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Take(MaxCandidates)
            .Select(c => new
            {
                c.Id,
                c.BuyerType,
                c.CompanyName,
                c.Title,
                c.FirstName,
                c.LastName,
                Email = c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
                c.DealerGroupId,
                GroupName = c.DealerGroup!.Name,
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new BuyerCandidate(r.Id, VehicleDetailsQuery.CustomerName(r.BuyerType, r.CompanyName, r.Title, r.FirstName, r.LastName, r.Id),
                r.Email, r.DealerGroupId, r.GroupName))
            .ToList();
    }

    /// <summary>The dealers of a dealer group, by name (empty when the group is not visible).</summary>
    public static async Task<IReadOnlyList<DealerChoice>> DealersOfGroupAsync(CrmDbContext db, long groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Dealers.AsNoTracking()
            .Where(d => d.DealerGroupId == groupId)
            .OrderBy(d => d.Name)
            .Select(d => new DealerChoice(d.Id, d.Code, d.Name))
            .ToListAsync(cancellationToken);
    }
}
