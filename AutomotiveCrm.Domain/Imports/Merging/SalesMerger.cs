using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Sales file: a vehicle sold to one of the dealer's customers. The sale opens the buyer's Selling relationship
/// with the dealer from the sale date; whoever else still held the vehicle loses it on that date (a previous
/// owner's Selling relationship ends as SoldPrivately, any other as Superseded), and a vehicle traded in leaves the
/// buyer (every record of the same person, at every dealer) as SoldAsTradeIn, as in
/// <see cref="RelationshipService.TransferOwnershipAsync"/>. The buyer's payment method follows their latest
/// purchase; the odometer at handover is appended.
/// </summary>
/// <remarks>
/// Sales arrive in any order. A sale older than someone else's later purchase of the same vehicle gives the buyer a
/// relationship that ends where the later one begins; a period that would overlap one the dealer already has with
/// the buyer and vehicle is not opened (the sale is still recorded). A buyer the dealer's customers file never
/// delivered refuses the row: import the customers first.
/// </remarks>
internal sealed class SalesMerger() : EfMerger(ImportFileType.Sales)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.Sales);
    private static readonly int CustomerField = Fields.IndexOf("customer_id");
    private static readonly int VehicleField = Fields.IndexOf("vehicle_id");
    private static readonly int VinField = Fields.IndexOf("vin");
    private static readonly int RegistrationField = Fields.IndexOf("registration");
    private static readonly int MakeField = Fields.IndexOf("make");
    private static readonly int ModelField = Fields.IndexOf("model");
    private static readonly int SaleDateField = Fields.IndexOf("sale_date");
    private static readonly int NewOrUsedField = Fields.IndexOf("new_or_used");
    private static readonly int PriceField = Fields.IndexOf("price");
    private static readonly int PaymentField = Fields.IndexOf("payment_method");
    private static readonly int MileageField = Fields.IndexOf("mileage");
    private static readonly int TradeInVehicleField = Fields.IndexOf("tradein_vehicle_id");
    private static readonly int TradeInVinField = Fields.IndexOf("tradein_vin");
    private static readonly int TradeInRegistrationField = Fields.IndexOf("tradein_registration");

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        var dealerId = session.Target.DealerId;
        var sales = await session.Db.VehicleSales.IgnoreQueryFilters().Where(s => ids.Contains(s.Id) && s.DealerId == dealerId).ToListAsync(cancellationToken);
        foreach (var sale in sales)
        {
            session.Existing[sale.Id] = sale;
        }

        await session.LoadBrandsAsync(cancellationToken);
        await session.LoadCustomersAsync(items.Select(i => i.Row.Text(CustomerField)), cancellationToken);
        await session.LoadVehiclesAsync(
            items.SelectMany(i => new[] { i.Row.Text(VehicleField), i.Row.Text(TradeInVehicleField) }),
            items.SelectMany(i => new[] { i.Row.Text(VinField), i.Row.Text(TradeInVinField) }),
            items.SelectMany(i => new[] { i.Row.Text(RegistrationField), i.Row.Text(TradeInRegistrationField) }),
            cancellationToken);
        await session.LoadVehiclesByIdAsync(sales.Select(s => s.VehicleId), cancellationToken);
        await session.LoadRelationshipsOfKnownVehiclesAsync(cancellationToken);
        await session.LoadMileageAsync(cancellationToken);

        var buyers = items.Select(i => session.Customer(i.Row.Text(CustomerField))).OfType<Customer>().Select(c => c.Id).Distinct().ToList();
        foreach (var latest in await session.Db.VehicleSales.IgnoreQueryFilters().AsNoTracking().Where(s => buyers.Contains(s.CustomerId))
            .GroupBy(s => s.CustomerId).Select(g => new { CustomerId = g.Key, Latest = g.Max(s => s.SaleDate) }).ToListAsync(cancellationToken))
        {
            session.LatestPurchase[latest.CustomerId] = latest.Latest;
        }
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var saleDate = MergeSession.RequiredDate(row, SaleDateField);
        if (saleDate > session.Today.AddDays(1))
        {
            throw row.Reject(SaleDateField, $"{saleDate:yyyy-MM-dd} is in the future: the sales file holds vehicles handed over.");
        }

        var customerKey = row.Text(CustomerField) ?? throw row.Reject(CustomerField, "is required: the buyer's DMS customer number.");
        var customer = session.Customer(customerKey) ?? throw session.UnknownCustomer(CustomerField, customerKey);
        var isNew = row.Text(NewOrUsedField) switch
        {
            null => (bool?)null,
            var v when v.Equals("New", StringComparison.OrdinalIgnoreCase) => true,
            var v when v.Equals("Used", StringComparison.OrdinalIgnoreCase) => false,
            var v => throw row.Reject(NewOrUsedField, $"'{v}' is not New or Used."),
        };
        var price = row.Number(PriceField);
        if (price < 0)
        {
            throw row.Reject(PriceField, "a price cannot be negative.");
        }

        var payment = row.Choice<PaymentMethod>(PaymentField);
        var mileage = MergeSession.Mileage(row, MileageField);
        var sold = VehicleRows.Find(session, row, VehicleField, VinField, RegistrationField, MakeField, ModelField, required: true);
        if (!sold.Exists)
        {
            throw row.Reject(row.Has(VehicleField) ? VehicleField : VinField, "a sale needs the vehicle sold: give vehicle_id or vin.");
        }

        var traded = VehicleRows.Find(session, row, TradeInVehicleField, TradeInVinField, TradeInRegistrationField, -1, -1, required: true);
        if ((traded.Found is not null && ReferenceEquals(traded.Found, sold.Found)) || (traded.Vin is not null && traded.Vin == sold.Vin))
        {
            throw row.Reject(TradeInVehicleField, "the vehicle traded in is the vehicle sold.");
        }

        var sale = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var found) ? (VehicleSale)found : null;

        // Checked: from here on the row changes records.
        var (vehicle, _) = sold.Materialise(session, saleDate);
        var tradeIn = traded.Exists ? traded.Materialise(session, saleDate).Vehicle : null;
        var inserted = sale is null;
        var moved = sale is null || sale.CustomerId != customer.Id || sale.VehicleId != vehicle.Id || vehicle.Id == 0 || sale.SaleDate != saleDate;
        if (sale is null)
        {
            sale = new VehicleSale { DealerId = session.Target.DealerId, DealerGroupId = session.Target.DealerGroupId, CreatedAt = session.Now, UpdatedAt = session.Now };
            session.Db.VehicleSales.Add(sale);
        }
        else if (moved)
        {
            Withdraw(session, sale);
        }

        sale.Customer = customer;
        sale.CustomerId = customer.Id;
        MergeSession.Link(vehicle, v => sale.Vehicle = v, id => sale.VehicleId = id);
        sale.SaleDate = saleDate;
        MergeSession.Set(inserted || session.Carried(NewOrUsedField), isNew ?? false, sale.IsNew, v => sale.IsNew = v);
        MergeSession.Set(inserted || session.Carried(PriceField), price, sale.Price, v => sale.Price = v);
        MergeSession.Set(inserted || session.Carried(PaymentField), payment, sale.PaymentMethod, v => sale.PaymentMethod = v);
        if (inserted || session.Carried(TradeInVehicleField) || session.Carried(TradeInVinField) || session.Carried(TradeInRegistrationField))
        {
            sale.TradeInVehicle = tradeIn;
            if (tradeIn is null)
            {
                sale.TradeInVehicleId = null;
            }
            else if (tradeIn.Id != 0)
            {
                sale.TradeInVehicleId = tradeIn.Id;
            }
        }

        sale.DmsRecordId = row.Key;
        sale.SourceFileId = session.FileId;

        if (moved)
        {
            var opened = OpenSelling(session, customer, vehicle, saleDate, sale.PaymentMethod);
            sale.Relationship = opened;
            if (opened is null)
            {
                sale.RelationshipId = null;
            }
            else if (opened.Id != 0)
            {
                sale.RelationshipId = opened.Id;
            }
        }
        else if (sale.RelationshipId is { } relationshipId
            && session.RelationshipsOf(vehicle).FirstOrDefault(r => r.Id == relationshipId) is { } relationship
            && relationship.PaymentMethod != sale.PaymentMethod)
        {
            relationship.PaymentMethod = sale.PaymentMethod;
            relationship.SourceFileId = session.FileId;
        }

        if (tradeIn is not null)
        {
            foreach (var held in session.RelationshipsOf(tradeIn).Where(r => r.EndDate is null && r.StartDate <= saleDate && session.SamePerson(r, customer)).ToList())
            {
                session.End(held, saleDate, RelationshipEndReason.SoldAsTradeIn);
            }
        }

        if (sale.PaymentMethod is { } paid && (!session.LatestPurchase.TryGetValue(customer.Id, out var latest) || saleDate >= latest))
        {
            customer.PaymentMethod = paid;
            session.LatestPurchase[customer.Id] = saleDate;
        }

        if (mileage is { } value)
        {
            session.AddMileage(vehicle, saleDate, value, MileageUnit.Kilometres, MileageSource.Sale);
        }

        return new RowOutcome(sale, inserted);
    }

    /// <summary>
    /// The buyer's Selling relationship from the sale date. Everyone else's current relationship with the vehicle
    /// ends that day; the buyer's own current one with the dealer is superseded (or, when it is this sale's
    /// relationship already, kept).
    /// </summary>
    private static Relationship? OpenSelling(MergeSession session, Customer customer, Vehicle vehicle, DateOnly saleDate, PaymentMethod? payment)
    {
        foreach (var other in session.RelationshipsOf(vehicle)
            .Where(r => r.EndDate is null && r.StartDate <= saleDate && !session.SamePerson(r, customer) && session.Db.Entry(r).State != EntityState.Deleted)
            .ToList())
        {
            session.End(other, saleDate, other.Type == RelationshipType.Selling ? RelationshipEndReason.SoldPrivately : RelationshipEndReason.Superseded);
        }

        var current = session.Triangle(customer, vehicle).FirstOrDefault(r => r.EndDate is null);
        if (current is not null)
        {
            if (current.Type == RelationshipType.Selling && current.StartDate == saleDate)
            {
                current.PaymentMethod = payment ?? current.PaymentMethod;
                return current;
            }

            if (current.StartDate > saleDate)
            {
                return null;
            }

            session.End(current, saleDate, RelationshipEndReason.Superseded);
        }

        return session.TryOpen(customer, vehicle, RelationshipType.Selling, saleDate, session.LaterOwnerFrom(customer, vehicle, saleDate), payment);
    }

    /// <summary>
    /// A corrected sale (another buyer, vehicle or date): the relationship the sale opened is withdrawn when it is
    /// still current, because it rested on the wrong facts. Relationships the sale ended stay ended.
    /// </summary>
    private static void Withdraw(MergeSession session, VehicleSale sale)
    {
        if (sale.RelationshipId is not { } id || session.VehicleById(sale.VehicleId) is not { } oldVehicle)
        {
            return;
        }

        var relationship = session.RelationshipsOf(oldVehicle).FirstOrDefault(r => r.Id == id);
        sale.Relationship = null;
        sale.RelationshipId = null;
        if (relationship is { EndDate: null })
        {
            session.Db.Relationships.Remove(relationship);
        }
    }
}
