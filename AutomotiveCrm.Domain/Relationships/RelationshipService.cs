using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Relationships;

/// <summary>A relationship the buyer starts with a dealer of the buyer's group when an ownership transfer completes.</summary>
public sealed record BuyerRelationship(long DealerId, RelationshipType Type);

/// <summary>
/// "The customer sells his car": the seller's current relationships with the vehicle end on the sale date and,
/// when the buyer is known, the buyer's begin on it.
/// </summary>
public sealed record OwnershipTransfer(
    long VehicleId,
    long SellerCustomerId,
    DateOnly SaleDate,
    RelationshipEndReason Reason,
    long? BuyerCustomerId = null,
    IReadOnlyList<BuyerRelationship>? BuyerRelationships = null,
    PaymentMethod? PaymentMethod = null);

public sealed record OwnershipTransferResult(IReadOnlyList<Relationship> Ended, IReadOnlyList<Relationship> Started);

/// <summary>
/// Domain operations on relationships. Each method works on the caller's context and saves once, so each is one
/// transaction; the period rules are checked here (with messages for the user) and again by every save.
/// </summary>
public static class RelationshipService
{
    public static async Task<Relationship> StartAsync(CrmDbContext db, long dealerId, long customerId, long vehicleId,
        RelationshipType type, DateOnly startDate, PaymentMethod? paymentMethod = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var relationship = await AddAsync(db, dealerId, customerId, vehicleId, type, startDate, paymentMethod, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return relationship;
    }

    public static async Task<Relationship> EndAsync(CrmDbContext db, long relationshipId, DateOnly endDate, RelationshipEndReason reason,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var relationship = await db.Relationships.FirstOrDefaultAsync(r => r.Id == relationshipId, cancellationToken)
            ?? throw RecordNotFoundException.For<Relationship>(relationshipId);
        relationship.End(endDate, reason);
        await db.SaveChangesAsync(cancellationToken);
        return relationship;
    }

    /// <summary>
    /// Records a sale of the vehicle. Every current relationship of the seller with the vehicle ends on the sale
    /// date, at every dealer, including those of the seller's retail records in other dealer groups (the same
    /// person, linked through one wholesale record): the person no longer has the car, whoever knew them.
    /// The buyer's relationships start on the same date. One save, so one transaction.
    /// </summary>
    public static async Task<OwnershipTransferResult> TransferOwnershipAsync(CrmDbContext db, OwnershipTransfer transfer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transfer);
        if (transfer.Reason is not (RelationshipEndReason.SoldAsTradeIn or RelationshipEndReason.SoldPrivately or RelationshipEndReason.Other))
        {
            throw new DomainException($"An ownership transfer ends relationships as a trade-in or a private sale, not as {transfer.Reason}.");
        }

        var seller = await db.Customers.FirstOrDefaultAsync(c => c.Id == transfer.SellerCustomerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(transfer.SellerCustomerId);
        _ = await db.Vehicles.FirstOrDefaultAsync(v => v.Id == transfer.VehicleId, cancellationToken)
            ?? throw RecordNotFoundException.For<Vehicle>(transfer.VehicleId);

        // The same person's records in other groups are beyond the writer's sight but not beyond the fact: the car
        // is sold. Their relationships end too, without the writer learning anything about them.
        var sellerRecords = await db.Customers.IgnoreQueryFilters()
            .Where(c => c.WholesaleCustomerId == seller.WholesaleCustomerId)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        var current = await db.Relationships.IgnoreQueryFilters()
            .Where(r => r.VehicleId == transfer.VehicleId && sellerRecords.Contains(r.CustomerId) && r.EndDate == null)
            .ToListAsync(cancellationToken);
        if (current.Count == 0)
        {
            throw new DomainException("The seller has no current relationship with this vehicle: there is nothing to transfer.");
        }

        foreach (var relationship in current)
        {
            if (transfer.SaleDate < relationship.StartDate)
            {
                throw new DomainException(
                    $"The sale date {transfer.SaleDate:yyyy-MM-dd} is before the seller's {relationship.Type} relationship began ({relationship.StartDate:yyyy-MM-dd}).");
            }

            relationship.End(transfer.SaleDate, transfer.Reason);
        }

        var started = new List<Relationship>();
        if (transfer.BuyerCustomerId is { } buyerId)
        {
            if (sellerRecords.Contains(buyerId))
            {
                throw new DomainException("The buyer is the seller.");
            }

            var buyerRelationships = transfer.BuyerRelationships is { Count: > 0 }
                ? transfer.BuyerRelationships
                : throw new DomainException("Name at least one dealer and relationship type for the buyer.");
            foreach (var br in buyerRelationships)
            {
                started.Add(await AddAsync(db, br.DealerId, buyerId, transfer.VehicleId, br.Type, transfer.SaleDate,
                    br.Type == RelationshipType.Selling ? transfer.PaymentMethod : null, cancellationToken));
            }

            if (transfer.PaymentMethod is not null && buyerRelationships.Any(br => br.Type == RelationshipType.Selling))
            {
                var buyer = await db.Customers.FirstAsync(c => c.Id == buyerId, cancellationToken);
                buyer.PaymentMethod = transfer.PaymentMethod;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new OwnershipTransferResult(current, started);
    }

    private static async Task<Relationship> AddAsync(CrmDbContext db, long dealerId, long customerId, long vehicleId,
        RelationshipType type, DateOnly startDate, PaymentMethod? paymentMethod, CancellationToken cancellationToken)
    {
        var dealer = await db.Dealers.AsNoTracking().FirstOrDefaultAsync(d => d.Id == dealerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Dealer>(dealerId);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(customerId);
        if (!await db.Vehicles.AnyAsync(v => v.Id == vehicleId, cancellationToken))
        {
            throw RecordNotFoundException.For<Vehicle>(vehicleId);
        }

        if (dealer.DealerGroupId != customer.DealerGroupId)
        {
            throw new DomainException($"{dealer.Name} belongs to another dealer group than this customer record.");
        }

        var relationship = new Relationship
        {
            DealerId = dealerId,
            CustomerId = customerId,
            VehicleId = vehicleId,
            DealerGroupId = dealer.DealerGroupId,
            Type = type,
            StartDate = startDate,
            PaymentMethod = paymentMethod,
        };

        // Friendly check before the save-time rule: saved periods plus those added in this unit of work.
        var saved = await db.Relationships.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.DealerId == dealerId && r.CustomerId == customerId && r.VehicleId == vehicleId)
            .ToListAsync(cancellationToken);
        var pending = db.ChangeTracker.Entries<Relationship>().Select(e => e.Entity)
            .Where(r => r.DealerId == dealerId && r.CustomerId == customerId && r.VehicleId == vehicleId);
        var trackedIds = pending.Where(r => r.Id != 0).Select(r => r.Id).ToHashSet();
        RelationshipRules.EnsureNoOverlap(saved.Where(r => !trackedIds.Contains(r.Id)).Concat(pending).Append(relationship));

        db.Relationships.Add(relationship);
        return relationship;
    }
}
