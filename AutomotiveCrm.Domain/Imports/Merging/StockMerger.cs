using AutomotiveCrm.Domain.Stock;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// New and used stock files: one stock vehicle per DMS stock number and dealer. A stock number the key map does not
/// know but the dealer's stock already holds (unique per dealer, new or used) is that vehicle. The DMS owns its
/// stock records: a carried field left empty clears the stored value.
/// </summary>
internal sealed class StockMerger(ImportFileType fileType) : EfMerger(fileType)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.NewStock);
    private static readonly int VinField = Fields.IndexOf("vin");
    private static readonly int MakeField = Fields.IndexOf("make");
    private static readonly int ModelField = Fields.IndexOf("model");
    private static readonly int DerivativeField = Fields.IndexOf("derivative");
    private static readonly int BodyTypeField = Fields.IndexOf("body_type");
    private static readonly int FuelTypeField = Fields.IndexOf("fuel_type");
    private static readonly int ColourField = Fields.IndexOf("colour");
    private static readonly int ModelYearField = Fields.IndexOf("model_year");
    private static readonly int MileageField = Fields.IndexOf("mileage");
    private static readonly int PriceField = Fields.IndexOf("price");
    private static readonly int ArrivedField = Fields.IndexOf("arrived_on");
    private static readonly int StatusField = Fields.IndexOf("status");

    private bool IsNew => FileType == ImportFileType.NewStock;

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        var numbers = items.Select(i => i.Row.Key).ToList();
        var dealerId = session.Target.DealerId;
        var isNew = IsNew;
        foreach (var stock in await session.Db.StockVehicles.IgnoreQueryFilters()
            .Where(s => s.DealerId == dealerId && s.IsNew == isNew && (ids.Contains(s.Id) || numbers.Contains(s.StockNumber)))
            .ToListAsync(cancellationToken))
        {
            session.Existing[stock.Id] = stock;
        }
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        if (row.Key.Length > 60)
        {
            throw row.Reject(row.Layout.IndexOf("stock_number"), "at most 60 characters are kept for a stock number.");
        }

        var vin = VehicleRows.CheckVin(row, VinField);
        var details = VehicleRows.ReadDetails(row, session.Today, ModelField, DerivativeField, BodyTypeField, FuelTypeField, -1, ColourField, ModelYearField, -1);
        var make = row.Text(MakeField, 50);
        var mileage = MergeSession.Mileage(row, MileageField);
        var price = row.Number(PriceField);
        if (price < 0)
        {
            throw row.Reject(PriceField, "a price cannot be negative.");
        }

        var arrived = row.Date(ArrivedField);
        var status = row.Text(StatusField, 40);

        var stock = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var byId) ? (StockVehicle)byId : null;
        stock ??= session.Existing.Values.OfType<StockVehicle>().FirstOrDefault(s => s.StockNumber == row.Key);
        var inserted = stock is null;
        if (stock is null)
        {
            stock = new StockVehicle
            {
                DealerId = session.Target.DealerId,
                DealerGroupId = session.Target.DealerGroupId,
                IsNew = IsNew,
                StockNumber = row.Key,
                CreatedAt = session.Now,
                UpdatedAt = session.Now,
            };
            session.Db.StockVehicles.Add(stock);
        }

        var all = inserted;
        MergeSession.Set(all || session.Carried(VinField), vin, stock.Vin, v => stock.Vin = v);
        MergeSession.Set(all || session.Carried(MakeField), make, stock.Make, v => stock.Make = v);
        MergeSession.Set(all || session.Carried(ModelField), details.Model, stock.Model, v => stock.Model = v);
        MergeSession.Set(all || session.Carried(DerivativeField), details.Derivative, stock.Derivative, v => stock.Derivative = v);
        MergeSession.Set<BodyType?>(all || session.Carried(BodyTypeField), details.BodyType, stock.BodyType, v => stock.BodyType = v);
        MergeSession.Set<FuelType?>(all || session.Carried(FuelTypeField), details.FuelType, stock.FuelType, v => stock.FuelType = v);
        MergeSession.Set(all || session.Carried(ColourField), details.Colour, stock.Colour, v => stock.Colour = v);
        MergeSession.Set(all || session.Carried(ModelYearField), details.ModelYear, stock.ModelYear, v => stock.ModelYear = v);
        MergeSession.Set(all || session.Carried(MileageField), mileage, stock.Mileage, v => stock.Mileage = v);
        MergeSession.Set(all || session.Carried(PriceField), price, stock.Price, v => stock.Price = v);
        MergeSession.Set(all || session.Carried(ArrivedField), arrived, stock.ArrivedOn, v => stock.ArrivedOn = v);
        MergeSession.Set(all || session.Carried(StatusField), status, stock.Status, v => stock.Status = v);
        stock.SourceFileId = session.FileId;
        return new RowOutcome(stock, inserted);
    }
}
