using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Domain.Dedup.Merging;

/// <summary>
/// Asks for two records to become one. <see cref="FieldSources"/> names, per customer field (see
/// <see cref="MergeFields"/>), which of the two records' value survives; fields left out take the default rule
/// (most recent non-empty value, then the more complete record). For vehicles the field names are those of
/// <see cref="VehicleMergeFields"/>. <see cref="CandidateVersion"/> is the candidate's version the decider saw: when
/// the candidate changed since (another steward decided it), the merge is refused; null takes the current version.
/// </summary>
public sealed record MergeRequest(
    long SurvivorId,
    long MergedId,
    long? CandidateId = null,
    double? Score = null,
    bool Automatic = false,
    IReadOnlyDictionary<string, long>? FieldSources = null,
    int? CandidateVersion = null);

/// <summary>The result of a merge, link or undo. <see cref="Error"/> is the reason shown to the user when it failed.</summary>
public sealed record MergeOutcome(bool Succeeded, long? MergeId, string? Error)
{
    public static MergeOutcome Done(long mergeId) => new(true, mergeId, null);

    public static MergeOutcome Refused(string reason) => new(false, null, reason);
}

/// <summary>The customer fields a steward chooses between when merging (names used in <see cref="MergeRequest.FieldSources"/>).</summary>
public static class MergeFields
{
    public const string Title = "title";
    public const string FirstName = "first_name";
    public const string MiddleName = "middle_name";
    public const string LastName = "last_name";
    public const string CompanyName = "company_name";
    public const string DateOfBirth = "date_of_birth";
    public const string Address = "address";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string ResponsibleDealer = "responsible_dealer";
    public const string PaymentMethod = "payment_method";

    public static IReadOnlyList<string> All { get; } =
        [Title, FirstName, MiddleName, LastName, CompanyName, DateOfBirth, Address, Email, Phone, ResponsibleDealer, PaymentMethod];
}

/// <summary>The vehicle fields a steward chooses between when merging two vehicle records.</summary>
public static class VehicleMergeFields
{
    public const string Vin = "vin";
    public const string Plate = "plate";
    public const string Make = "make";
    public const string Model = "model";
    public const string Derivative = "derivative";
    public const string FuelType = "fuel_type";
    public const string BodyType = "body_type";
    public const string Colour = "colour";
    public const string ModelYear = "model_year";
    public const string FirstRegistration = "first_registration";

    public static IReadOnlyList<string> All { get; } =
        [Vin, Plate, Make, Model, Derivative, FuelType, BodyType, Colour, ModelYear, FirstRegistration];
}

/// <summary>The reasons a merge, link or undo is refused that callers may want to recognise (shown to users as they are).</summary>
public static class MergeErrors
{
    /// <summary>The candidate changed after the decider loaded it: another steward (or the automatic band) decided it.</summary>
    public const string DecidedMeanwhile = "This pair was decided meanwhile by someone else.";
}

/// <summary>
/// Merges, links and undoes, inside the given context: the caller decides the scope (a steward's user-scoped context,
/// or a system context for automatic merges) and <see cref="CrmDbContext.Actor"/> says who, for the audit rows.
/// Each call is one transaction. A record the context cannot see behaves as a missing one.
/// </summary>
public interface IRecordMerger
{
    /// <summary>
    /// Merges two retail customers of one group: relationships, vehicles' links, consents (an opt-out on either side
    /// survives), DMS key map, audit history and anything else attached move to the survivor; the other record stays
    /// as a tombstone (MergedIntoId); the survivor's wholesale record is recomputed; a <see cref="RecordMerge"/> row
    /// with an exact undo snapshot is written; the candidate (if any) becomes Merged and other open candidates of the
    /// tombstone are superseded.
    /// </summary>
    Task<MergeOutcome> MergeCustomersAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken);

    /// <summary>Links two retail customers of different groups to one wholesale record (the survivor's), recomputing both.</summary>
    Task<MergeOutcome> LinkWholesaleAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken);

    /// <summary>Merges two vehicle records of one customer (plates, mileage, relationships, service history move).</summary>
    Task<MergeOutcome> MergeVehiclesAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken);

    /// <summary>Restores both records and every moved link exactly as before the merge (or link).</summary>
    Task<MergeOutcome> UndoAsync(CrmDbContext db, long mergeId, CancellationToken cancellationToken);
}
