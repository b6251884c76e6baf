using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Service history file: a workshop visit per row, the odometer reading it took (appended once), and the
/// dealer's Servicing relationship with the customer and the vehicle (see <see cref="MergeSession.EnsureServicing"/>).
/// A visit whose customer the dealer's files never delivered is still a visit, without customer or relationship;
/// the vehicle is required (by DMS number, VIN or plate; an unknown VIN creates it).
/// </summary>
internal sealed class ServiceHistoryMerger() : EfMerger(ImportFileType.ServiceHistory)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.ServiceHistory);
    private static readonly int CustomerField = Fields.IndexOf("customer_id");
    private static readonly int VehicleField = Fields.IndexOf("vehicle_id");
    private static readonly int VinField = Fields.IndexOf("vin");
    private static readonly int RegistrationField = Fields.IndexOf("registration");
    private static readonly int MakeField = Fields.IndexOf("make");
    private static readonly int ModelField = Fields.IndexOf("model");
    private static readonly int VisitDateField = Fields.IndexOf("visit_date");
    private static readonly int MileageField = Fields.IndexOf("mileage");
    private static readonly int MileageUnitField = Fields.IndexOf("mileage_unit");
    private static readonly int WorkTypeField = Fields.IndexOf("work_type");
    private static readonly int DescriptionField = Fields.IndexOf("description");
    private static readonly int TotalField = Fields.IndexOf("total_amount");

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        var dealerId = session.Target.DealerId;
        foreach (var visit in await session.Db.ServiceVisits.IgnoreQueryFilters().Where(v => ids.Contains(v.Id) && v.DealerId == dealerId).ToListAsync(cancellationToken))
        {
            session.Existing[visit.Id] = visit;
        }

        session.Chunk.Lap("service.load.visits");
        await session.LoadBrandsAsync(cancellationToken);
        await session.LoadCustomersAsync(items.Select(i => i.Row.Text(CustomerField)), cancellationToken);
        session.Chunk.Lap("service.load.customers");
        await session.LoadVehiclesAsync(items.Select(i => i.Row.Text(VehicleField)), items.Select(i => i.Row.Text(VinField)),
            items.Where(i => !i.Row.Has(VinField)).Select(i => i.Row.Text(RegistrationField)), cancellationToken);
        session.Chunk.Lap("service.load.vehicles");
        await session.LoadRelationshipsOfKnownVehiclesAsync(cancellationToken);
        session.Chunk.Lap("service.load.relationships");
        await session.LoadMileageAsync(cancellationToken);
        session.Chunk.Lap("service.load.mileage");
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var visitDate = MergeSession.RequiredDate(row, VisitDateField);
        if (visitDate > session.Today.AddDays(1))
        {
            throw row.Reject(VisitDateField, $"{visitDate:yyyy-MM-dd} is in the future: service history holds past visits.");
        }

        var customer = session.Customer(row.Text(CustomerField));
        var mileage = MergeSession.Mileage(row, MileageField);
        var unit = row.Choice<MileageUnit>(MileageUnitField) ?? MileageUnit.Kilometres;
        var workType = row.Text(WorkTypeField, 60);
        var description = row.Text(DescriptionField, 1000);
        var total = row.Number(TotalField);
        var reference = VehicleRows.Find(session, row, VehicleField, VinField, RegistrationField, MakeField, ModelField, required: true);
        if (!reference.Exists)
        {
            throw row.Reject(row.Has(VehicleField) ? VehicleField : VinField, "a service visit needs its vehicle: give vehicle_id or vin.");
        }

        var (vehicle, _) = reference.Materialise(session, visitDate);
        var visit = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var found) ? (ServiceVisit)found : null;
        var inserted = visit is null;
        if (visit is null)
        {
            visit = new ServiceVisit { DealerId = session.Target.DealerId, DealerGroupId = session.Target.DealerGroupId, CreatedAt = session.Now, UpdatedAt = session.Now };
            session.Db.ServiceVisits.Add(visit);
        }

        MergeSession.Link(vehicle, v => visit.Vehicle = v, id => visit.VehicleId = id);
        if (inserted || session.Carried(CustomerField))
        {
            visit.Customer = customer;
            visit.CustomerId = customer?.Id;
        }

        visit.VisitDate = visitDate;
        MergeSession.Set(inserted || session.Carried(MileageField), mileage, visit.Mileage, v => visit.Mileage = v);
        MergeSession.Set(inserted || session.Carried(MileageUnitField), unit, visit.MileageUnit, v => visit.MileageUnit = v);
        MergeSession.Set(inserted || session.Carried(WorkTypeField), workType, visit.WorkType, v => visit.WorkType = v);
        MergeSession.Set(inserted || session.Carried(DescriptionField), description, visit.Description, v => visit.Description = v);
        MergeSession.Set(inserted || session.Carried(TotalField), total, visit.TotalAmount, v => visit.TotalAmount = v);
        visit.DmsRecordId = row.Key;
        visit.SourceFileId = session.FileId;

        if (mileage is { } value)
        {
            session.AddMileage(vehicle, visitDate, value, unit, MileageSource.ServiceVisit);
        }

        if (visit.Customer is { } visitor)
        {
            session.EnsureServicing(visitor, vehicle, visitDate);
        }

        return new RowOutcome(visit, inserted);
    }
}
