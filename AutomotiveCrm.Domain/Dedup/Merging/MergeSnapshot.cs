using System.Text.Json;
using System.Text.Json.Serialization;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Dedup.Merging;

/// <summary>
/// Everything the undo of one merge or link needs, stored as <see cref="RecordMerge.SnapshotJson"/>: the survivor's
/// values before and after (so undo restores only what nobody edited since), the ids of every moved row per table
/// with its previous owner, the rows the merge removed or added, and the candidates it decided. Rows are named by
/// id, never copied, except those the merge deleted (they are re-inserted with their own ids).
/// </summary>
internal sealed class MergeSnapshot
{
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;

    /// <summary>The survivor's own fields before the merge (customer merges).</summary>
    public CustomerValues? SurvivorBefore { get; set; }

    /// <summary>The survivor's own fields as the merge left them: undo restores a field only if it still holds this value.</summary>
    public CustomerValues? SurvivorAfter { get; set; }

    public VehicleValues? VehicleBefore { get; set; }

    public VehicleValues? VehicleAfter { get; set; }

    /// <summary>Table (see <see cref="MovedTables"/>) to the ids of the rows moved from the merged record to the survivor.</summary>
    public Dictionary<string, List<long>> Moved { get; set; } = [];

    /// <summary>Contact points and plates whose primary / current flag the merge changed, with the value before.</summary>
    public List<FlagChange> Flags { get; set; } = [];

    /// <summary>Relationships of the survivor widened to absorb an overlapping relationship of the merged record.</summary>
    public List<RelationshipWidening> Widened { get; set; } = [];

    /// <summary>Overlapping relationships of the merged record that the merge absorbed (deleted), in full.</summary>
    public List<RelationshipRow> Absorbed { get; set; } = [];

    /// <summary>Sales whose relationship was an absorbed one and now points at the relationship that absorbed it.</summary>
    public List<Repoint> SaleRelationships { get; set; } = [];

    /// <summary>Plates whose end date the merge set (two current plates: the older one ends when the newer begins).</summary>
    public List<PlateEnd> PlateEnds { get; set; } = [];

    /// <summary>Retail records moved from one wholesale record to another (customer id, wholesale id before).</summary>
    public List<Repoint> WholesaleMoves { get; set; } = [];

    /// <summary>Wholesale records the merge or link left without retail records (deleted by the recompute), re-created on undo.</summary>
    public List<WholesaleRow> WholesaleDeleted { get; set; } = [];

    /// <summary>Consent statements the merge added (an opt-out of either side survives); undo removes them.</summary>
    public List<long> ConsentsAdded { get; set; } = [];

    /// <summary>The decided candidate as it was.</summary>
    public CandidateState? Candidate { get; set; }

    /// <summary>Other open candidates of the merged record, superseded by the merge, as they were.</summary>
    public List<CandidateState> Superseded { get; set; } = [];

    public long? MergedWholesaleBefore { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MergeSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<MergeSnapshot>(json, Json) ?? throw new InvalidOperationException("The merge snapshot is empty.");

    public List<long> MovedIds(string table) => Moved.TryGetValue(table, out var ids) ? ids : [];

    public void AddMoved(string table, IEnumerable<long> ids)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return;
        }

        if (!Moved.TryGetValue(table, out var existing))
        {
            Moved[table] = existing = [];
        }

        existing.AddRange(list);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>The table names used in <see cref="MergeSnapshot.Moved"/>.</summary>
internal static class MovedTables
{
    public const string Emails = "CustomerEmails";
    public const string Phones = "CustomerPhones";
    public const string Addresses = "CustomerAddresses";
    public const string Consents = "ConsentRecords";
    public const string Relationships = "Relationships";
    public const string ServiceVisits = "ServiceVisits";
    public const string WorkshopBookings = "WorkshopBookings";
    public const string WorkshopTransactions = "WorkshopTransactions";
    public const string Sales = "VehicleSales";
    public const string TradeIns = "VehicleSales.TradeInVehicleId";
    public const string DmsRecords = "DmsRecords";
    public const string AuditEntries = "AuditEntries";
    public const string Plates = "PlateRegistrations";
    public const string MileageReadings = "MileageReadings";
}

internal sealed record CustomerValues(
    BuyerType BuyerType,
    string? Title,
    string? FirstName,
    string? MiddleName,
    string? LastName,
    string? CompanyName,
    DateOnly? DateOfBirth,
    long? ResponsibleDealerId,
    PaymentMethod? PaymentMethod,
    int InsuredAccidents,
    DateTime? DedupPendingSince)
{
    public static CustomerValues Of(Customer c) => new(c.BuyerType, c.Title, c.FirstName, c.MiddleName, c.LastName, c.CompanyName, c.DateOfBirth,
        c.ResponsibleDealerId, c.PaymentMethod, c.InsuredAccidents, c.DedupPendingSince);
}

internal sealed record VehicleValues(
    string? Vin,
    string? VinWarning,
    string? CurrentPlate,
    long? BrandId,
    string? Make,
    string? Model,
    string? Derivative,
    BodyType? BodyType,
    FuelType? FuelType,
    Transmission? Transmission,
    string? Colour,
    int? ModelYear,
    DateOnly? FirstRegistrationDate)
{
    public static VehicleValues Of(Vehicle v) => new(v.Vin, v.VinWarning, v.CurrentPlate, v.BrandId, v.Make, v.Model, v.Derivative, v.BodyType,
        v.FuelType, v.Transmission, v.Colour, v.ModelYear, v.FirstRegistrationDate);
}

internal sealed record FlagChange(string Table, long Id, bool Before);

internal sealed record Repoint(long Id, long From);

internal sealed record PlateEnd(long Id, DateOnly? Before, DateOnly? After);

internal sealed record RelationshipWidening(long Id, DateOnly StartBefore, DateOnly? EndBefore, RelationshipEndReason? ReasonBefore,
    DateOnly StartAfter, DateOnly? EndAfter, RelationshipEndReason? ReasonAfter);

internal sealed record RelationshipRow(long Id, long DealerId, long CustomerId, long VehicleId, long DealerGroupId, RelationshipType Type,
    DateOnly StartDate, DateOnly? EndDate, RelationshipEndReason? EndReason, PaymentMethod? PaymentMethod, long? SourceFileId,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static RelationshipRow Of(Relationship r) => new(r.Id, r.DealerId, r.CustomerId, r.VehicleId, r.DealerGroupId, r.Type, r.StartDate,
        r.EndDate, r.EndReason, r.PaymentMethod, r.SourceFileId, r.CreatedAt, r.UpdatedAt);

    public Relationship ToEntity() => new()
    {
        Id = Id,
        DealerId = DealerId,
        CustomerId = CustomerId,
        VehicleId = VehicleId,
        DealerGroupId = DealerGroupId,
        Type = Type,
        StartDate = StartDate,
        EndDate = EndDate,
        EndReason = EndReason,
        PaymentMethod = PaymentMethod,
        SourceFileId = SourceFileId,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

internal sealed record WholesaleRow(long Id, long NetworkId, DateTime CreatedAt);

internal sealed record CandidateState(long Id, CandidateStatus Status, MatchBand Band, DateTime? DecidedAt, string? DecidedBy, long? MergeId);

/// <summary>A consent key: the (channel, purpose, scope) one current answer exists for.</summary>
internal readonly record struct ConsentKey(ConsentChannel Channel, ConsentPurpose Purpose, long? BrandId, long? DealerId);
