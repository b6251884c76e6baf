using AutomotiveCrm.Domain.Service;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Future bookings: who comes into the workshop when, with which vehicle. Customer and vehicle are optional
/// references: a booking whose customer or vehicle the CRM does not know is kept without the link (bookings are
/// often made before the DMS has the car on file). The DMS writes local times of the market; they are stored in UTC.
/// </summary>
internal sealed class BookingMerger() : EfMerger(ImportFileType.FutureBookings)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.FutureBookings);
    private static readonly int CustomerField = Fields.IndexOf("customer_id");
    private static readonly int VehicleField = Fields.IndexOf("vehicle_id");
    private static readonly int VinField = Fields.IndexOf("vin");
    private static readonly int RegistrationField = Fields.IndexOf("registration");
    private static readonly int BookedForField = Fields.IndexOf("booked_for");
    private static readonly int WorkTypeField = Fields.IndexOf("work_type");
    private static readonly int NotesField = Fields.IndexOf("notes");

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        var dealerId = session.Target.DealerId;
        foreach (var booking in await session.Db.WorkshopBookings.IgnoreQueryFilters().Where(b => ids.Contains(b.Id) && b.DealerId == dealerId).ToListAsync(cancellationToken))
        {
            session.Existing[booking.Id] = booking;
        }

        var networkId = session.Target.NetworkId;
        session.TimeZone = await session.Db.Networks.IgnoreQueryFilters().Where(n => n.Id == networkId).Select(n => n.TimeZone).FirstOrDefaultAsync(cancellationToken);
        await session.LoadCustomersAsync(items.Select(i => i.Row.Text(CustomerField)), cancellationToken);
        await session.LoadVehiclesAsync(items.Select(i => i.Row.Text(VehicleField)), items.Select(i => i.Row.Text(VinField)),
            items.Select(i => i.Row.Text(RegistrationField)), cancellationToken);
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var local = row.DateTime(BookedForField) ?? throw row.Reject(BookedForField, "is required: the date and time of the booking.");
        var bookedFor = session.ToUtc(local);
        var workType = row.Text(WorkTypeField, 60);
        var notes = row.Text(NotesField, 1000);
        var customer = session.Customer(row.Text(CustomerField));
        var vehicle = VehicleRows.Find(session, row, VehicleField, VinField, RegistrationField, -1, -1, required: false).Found;

        var booking = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var found) ? (WorkshopBooking)found : null;
        var inserted = booking is null;
        if (booking is null)
        {
            booking = new WorkshopBooking { DealerId = session.Target.DealerId, DealerGroupId = session.Target.DealerGroupId, CreatedAt = session.Now, UpdatedAt = session.Now };
            session.Db.WorkshopBookings.Add(booking);
        }

        var all = inserted;
        if (all || session.Carried(CustomerField))
        {
            booking.Customer = customer;
            booking.CustomerId = customer?.Id;
        }

        if (all || session.Carried(VehicleField) || session.Carried(VinField) || session.Carried(RegistrationField))
        {
            booking.Vehicle = vehicle;
            booking.VehicleId = vehicle?.Id;
        }

        booking.BookedFor = bookedFor;
        MergeSession.Set(all || session.Carried(WorkTypeField), workType, booking.WorkType, v => booking.WorkType = v);
        MergeSession.Set(all || session.Carried(NotesField), notes, booking.Notes, v => booking.Notes = v);
        booking.DmsRecordId = row.Key;
        booking.SourceFileId = session.FileId;
        return new RowOutcome(booking, inserted);
    }
}

/// <summary>
/// Workshop transactions (invoices, credits, payments): the visit and the customer are optional references, kept
/// when the dealer's files delivered them and left empty otherwise.
/// </summary>
internal sealed class WorkshopTransactionMerger() : EfMerger(ImportFileType.WorkshopTransactions)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.WorkshopTransactions);
    private static readonly int VisitField = Fields.IndexOf("visit_id");
    private static readonly int CustomerField = Fields.IndexOf("customer_id");
    private static readonly int DateField = Fields.IndexOf("transaction_date");
    private static readonly int TypeField = Fields.IndexOf("transaction_type");
    private static readonly int AmountField = Fields.IndexOf("amount");
    private static readonly int ReferenceField = Fields.IndexOf("reference");

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        var dealerId = session.Target.DealerId;
        foreach (var transaction in await session.Db.WorkshopTransactions.IgnoreQueryFilters().Where(t => ids.Contains(t.Id) && t.DealerId == dealerId).ToListAsync(cancellationToken))
        {
            session.Existing[transaction.Id] = transaction;
        }

        await session.LoadCustomersAsync(items.Select(i => i.Row.Text(CustomerField)), cancellationToken);
        await session.LoadVisitIdsAsync(items.Select(i => i.Row.Text(VisitField)), cancellationToken);
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var date = MergeSession.RequiredDate(row, DateField);
        var amount = row.Number(AmountField) ?? throw row.Reject(AmountField, "is required.");
        var type = row.Text(TypeField, 40);
        var reference = row.Text(ReferenceField, 100);
        var customer = session.Customer(row.Text(CustomerField));
        var visitId = session.VisitId(row.Text(VisitField));

        var transaction = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var found) ? (WorkshopTransaction)found : null;
        var inserted = transaction is null;
        if (transaction is null)
        {
            transaction = new WorkshopTransaction { DealerId = session.Target.DealerId, DealerGroupId = session.Target.DealerGroupId, CreatedAt = session.Now, UpdatedAt = session.Now };
            session.Db.WorkshopTransactions.Add(transaction);
        }

        var all = inserted;
        if (all || session.Carried(CustomerField))
        {
            transaction.Customer = customer;
            transaction.CustomerId = customer?.Id;
        }

        MergeSession.Set(all || session.Carried(VisitField), visitId, transaction.ServiceVisitId, v => transaction.ServiceVisitId = v);
        transaction.TransactionDate = date;
        transaction.Amount = amount;
        MergeSession.Set(all || session.Carried(TypeField), type, transaction.TransactionType, v => transaction.TransactionType = v);
        MergeSession.Set(all || session.Carried(ReferenceField), reference, transaction.Reference, v => transaction.Reference = v);
        transaction.DmsRecordId = row.Key;
        transaction.SourceFileId = session.FileId;
        return new RowOutcome(transaction, inserted);
    }
}
