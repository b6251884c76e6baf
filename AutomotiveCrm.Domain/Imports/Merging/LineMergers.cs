using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Service;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Labour and part lines: each belongs to a service visit the dealer's service history file delivered; a line
/// whose visit is unknown is refused (import the service history first). The DMS owns its lines: a carried field
/// left empty clears the stored value.
/// </summary>
internal abstract class LineMerger<TLine>(ImportFileType fileType) : EfMerger(fileType)
    where TLine : Entity
{
    private int VisitField => Layout.IndexOf("visit_id");

    protected abstract IQueryable<TLine> Lines(MergeSession session);

    protected abstract TLine NewLine(long visitId);

    /// <summary>Checks the row's values and returns what writes them onto a line (new or stored).</summary>
    protected abstract Action<TLine, bool> Read(MergeSession session, StagedRow row);

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Where(i => i.Record is not null).Select(i => i.Record!.EntityId).ToList();
        foreach (var line in await Lines(session).Where(l => ids.Contains(l.Id)).ToListAsync(cancellationToken))
        {
            session.Existing[line.Id] = line;
        }

        await session.LoadVisitIdsAsync(items.Select(i => i.Row.Text(VisitField)), cancellationToken);
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var visitKey = row.Text(VisitField) ?? throw row.Reject(VisitField, "is required: the service visit the line belongs to.");
        var visitId = session.VisitId(visitKey) ?? throw row.Reject(VisitField,
            $"visit {visitKey} is not known for dealer {session.Target.DealerCode}: import the service history file first.");
        var write = Read(session, row);
        var line = item.Record is not null && session.Existing.TryGetValue(item.Record.EntityId, out var found) ? (TLine)found : null;
        var inserted = line is null;
        if (line is null)
        {
            line = NewLine(visitId);
            session.Db.Add(line);
        }

        write(line, inserted);
        return new RowOutcome(line, inserted);
    }
}

internal sealed class LabourLineMerger() : LineMerger<ServiceLabourLine>(ImportFileType.LabourLines)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.LabourLines);
    private static readonly int VisitField = Fields.IndexOf("visit_id");
    private static readonly int OperationField = Fields.IndexOf("operation_code");
    private static readonly int DescriptionField = Fields.IndexOf("description");
    private static readonly int HoursField = Fields.IndexOf("hours");
    private static readonly int AmountField = Fields.IndexOf("amount");

    protected override IQueryable<ServiceLabourLine> Lines(MergeSession session) => session.Db.ServiceLabourLines.IgnoreQueryFilters();

    protected override ServiceLabourLine NewLine(long visitId) => new() { ServiceVisitId = visitId };

    protected override Action<ServiceLabourLine, bool> Read(MergeSession session, StagedRow row)
    {
        var visitId = session.VisitId(row.Text(VisitField))!.Value;
        var operation = row.Text(OperationField, 40);
        var description = row.Text(DescriptionField, 500);
        var hours = row.Number(HoursField);
        if (hours is < 0 or > 9_999_999)
        {
            throw row.Reject(HoursField, $"{hours} is not a plausible number of hours.");
        }

        var amount = row.Number(AmountField);
        return (line, all) =>
        {
            line.ServiceVisitId = visitId;
            MergeSession.Set(all || session.Carried(OperationField), operation, line.OperationCode, v => line.OperationCode = v);
            MergeSession.Set(all || session.Carried(DescriptionField), description, line.Description, v => line.Description = v);
            MergeSession.Set(all || session.Carried(HoursField), hours, line.Hours, v => line.Hours = v);
            MergeSession.Set(all || session.Carried(AmountField), amount, line.Amount, v => line.Amount = v);
            line.DmsRecordId = row.Key;
            line.SourceFileId = session.FileId;
        };
    }
}

internal sealed class PartLineMerger() : LineMerger<ServicePartLine>(ImportFileType.PartLines)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.PartLines);
    private static readonly int VisitField = Fields.IndexOf("visit_id");
    private static readonly int PartNumberField = Fields.IndexOf("part_number");
    private static readonly int DescriptionField = Fields.IndexOf("description");
    private static readonly int QuantityField = Fields.IndexOf("quantity");
    private static readonly int UnitPriceField = Fields.IndexOf("unit_price");
    private static readonly int AmountField = Fields.IndexOf("amount");

    protected override IQueryable<ServicePartLine> Lines(MergeSession session) => session.Db.ServicePartLines.IgnoreQueryFilters();

    protected override ServicePartLine NewLine(long visitId) => new() { ServiceVisitId = visitId };

    protected override Action<ServicePartLine, bool> Read(MergeSession session, StagedRow row)
    {
        var visitId = session.VisitId(row.Text(VisitField))!.Value;
        var partNumber = row.Text(PartNumberField, 60);
        var description = row.Text(DescriptionField, 500);
        var quantity = row.Number(QuantityField);
        if (quantity is < -999_999_999 or > 999_999_999)
        {
            throw row.Reject(QuantityField, $"{quantity} is not a plausible quantity.");
        }

        var unitPrice = row.Number(UnitPriceField);
        var amount = row.Number(AmountField);
        return (line, all) =>
        {
            line.ServiceVisitId = visitId;
            MergeSession.Set(all || session.Carried(PartNumberField), partNumber, line.PartNumber, v => line.PartNumber = v);
            MergeSession.Set(all || session.Carried(DescriptionField), description, line.Description, v => line.Description = v);
            MergeSession.Set(all || session.Carried(QuantityField), quantity, line.Quantity, v => line.Quantity = v);
            MergeSession.Set(all || session.Carried(UnitPriceField), unitPrice, line.UnitPrice, v => line.UnitPrice = v);
            MergeSession.Set(all || session.Carried(AmountField), amount, line.Amount, v => line.Amount = v);
            line.DmsRecordId = row.Key;
            line.SourceFileId = session.FileId;
        };
    }
}
