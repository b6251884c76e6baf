using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Review;

/// <summary>Whether the signed-in user may review duplicates (the web app answers it from the user's roles and scope level).</summary>
public interface IDedupReviewAccess
{
    bool MayReviewDuplicates { get; }
}

/// <summary>
/// The steward's queue over the user-scoped context factory: every read and decision sees only the user's scope, so
/// another group's candidate or merge behaves exactly as a missing one. Each decision is its own short context and
/// transaction; the candidate's version makes two stewards deciding the same pair end with one decision.
/// </summary>
public sealed class DedupReviewService(IDbContextFactory<CrmDbContext> contexts, IRecordMerger merger, IDedupReviewAccess access, TimeProvider clock)
    : IDedupReviewService
{
    public const string NotAllowed = "You may not review duplicates.";
    public const string NotFound = "This pair was not found.";
    private static readonly string[] LiveOff = [CrmDbContext.LiveFilter];

    public async Task<ReviewQueuePage> QueueAsync(ReviewQueueFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!access.MayReviewDuplicates)
        {
            return new ReviewQueuePage([], 0, []);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(filter.PageSize, 1, 500);
        var rows = await query.OrderByDescending(c => c.Score).ThenBy(c => c.Id)
            .Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        var names = await NamesAsync(db, filter.Kind, rows.SelectMany(r => new[] { r.LeftId, r.RightId }), cancellationToken);
        var groups = await GroupNamesAsync(db, rows.Select(r => r.DealerGroupId), cancellationToken);

        // The reasons on offer: those of the queue as filtered apart from the reason itself.
        var reasonTexts = await Filtered(db, filter with { Reason = null }).Select(c => c.Reasons).Distinct().Take(2000).ToListAsync(cancellationToken);
        var available = reasonTexts.SelectMany(ParseReasons).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new ReviewQueuePage(
            rows.Select(c => new ReviewQueueRow(c.Id, c.Version, c.Level, c.EntityKind, c.LeftId, Name(names, c.LeftId, c.EntityKind), c.RightId,
                Name(names, c.RightId, c.EntityKind), c.DealerGroupId is { } g ? groups.GetValueOrDefault(g) : null, c.Score, c.Band, c.Status,
                ParseReasons(c.Reasons), c.UpdatedAt)).ToList(),
            total,
            available);
    }

    private static IQueryable<MatchCandidate> Filtered(CrmDbContext db, ReviewQueueFilter filter)
    {
        var query = db.MatchCandidates.AsNoTracking().Where(c => c.EntityKind == filter.Kind && c.Status == filter.Status);
        if (filter.Level is { } level)
        {
            query = query.Where(c => c.Level == level);
        }

        if (filter.DealerGroupId is { } group)
        {
            query = query.Where(c => c.DealerGroupId == group);
        }

        if (filter.Band is { } band)
        {
            query = query.Where(c => c.Band == band);
        }

        if (filter.MinScore is { } min)
        {
            query = query.Where(c => c.Score >= min);
        }

        if (!string.IsNullOrWhiteSpace(filter.Reason))
        {
            // Reasons are written lower-case by the engine ("email: exact, date_of_birth: exact"); match the field name.
            var reason = filter.Reason.Trim();
            query = query.Where(c => c.Reasons.StartsWith(reason) || c.Reasons.Contains(", " + reason) || c.Reasons.Contains("," + reason));
        }

        return query;
    }

    /// <summary>The field names of a reasons text: "email: exact, dob: exact" and "email,dob" both give email and dob.</summary>
    internal static IReadOnlyList<string> ParseReasons(string? reasons) =>
        string.IsNullOrWhiteSpace(reasons)
            ? []
            : reasons.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => r.Split(':', 2)[0].Trim())
                .Where(r => r.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();

    public async Task<CandidateComparison?> CompareAsync(long candidateId, CancellationToken cancellationToken)
    {
        if (!access.MayReviewDuplicates)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var c = await db.MatchCandidates.AsNoTracking().FirstOrDefaultAsync(x => x.Id == candidateId, cancellationToken);
        if (c is null)
        {
            return null;
        }

        var explanation = ParseExplanation(c.ExplanationJson);
        if (c.EntityKind == DedupEntityKind.Vehicle)
        {
            return await CompareVehiclesAsync(db, c, explanation, cancellationToken);
        }

        var ids = new[] { c.LeftId, c.RightId };
        var customers = await db.Customers.IgnoreQueryFilters(LiveOff).AsNoTracking().Include(x => x.DealerGroup)
            .Include(x => x.Emails).Include(x => x.Phones).Include(x => x.Addresses).AsSplitQuery()
            .Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, cancellationToken);
        if (!customers.TryGetValue(c.LeftId, out var left) || !customers.TryGetValue(c.RightId, out var right))
        {
            return null;
        }

        var counts = await db.Relationships.AsNoTracking().Where(r => ids.Contains(r.CustomerId))
            .GroupBy(r => r.CustomerId)
            .Select(g => new { g.Key, Relationships = g.Count(), Vehicles = g.Select(r => r.VehicleId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, cancellationToken);
        var dealerIds = new[] { left.ResponsibleDealerId, right.ResponsibleDealerId }.OfType<long>().ToList();
        var dealers = await db.Dealers.AsNoTracking().Where(d => dealerIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var leftComplete = Survivorship.Completeness(left);
        var rightComplete = Survivorship.Completeness(right);
        var fields = MergeFields.All.Select(field =>
        {
            var l = Survivorship.CustomerValue(left, field);
            var r = Survivorship.CustomerValue(right, field);
            var side = Survivorship.PrefersSecond(l, r, left.UpdatedAt, right.UpdatedAt, leftComplete, rightComplete) ? ComparisonSide.Right : ComparisonSide.Left;
            if (field == MergeFields.ResponsibleDealer)
            {
                l = left.ResponsibleDealerId is { } ld && dealers.TryGetValue(ld, out var ln) ? ln : l;
                r = right.ResponsibleDealerId is { } rd && dealers.TryGetValue(rd, out var rn) ? rn : r;
            }

            return new ComparisonField(field, CustomerLabel(field), l, r, !Same(l, r), side);
        }).ToList();

        ComparedRecord Record(Customer x) => new(x.Id, Display(x), x.DealerGroup?.Name, x.UpdatedAt, x.Source.ToString(), x.Version,
            counts.TryGetValue(x.Id, out var n) ? n.Relationships : 0, counts.TryGetValue(x.Id, out var m) ? m.Vehicles : 0);
        return new CandidateComparison(c.Id, c.Version, c.Level, c.EntityKind, c.Score, c.Band, c.Status, Record(left), Record(right), fields, explanation);
    }

    private static async Task<CandidateComparison?> CompareVehiclesAsync(CrmDbContext db, MatchCandidate c, IReadOnlyList<FieldExplanation> explanation,
        CancellationToken cancellationToken)
    {
        var ids = new[] { c.LeftId, c.RightId };
        var vehicles = await db.Vehicles.IgnoreQueryFilters(LiveOff).AsNoTracking().Include(v => v.Brand)
            .Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        if (!vehicles.TryGetValue(c.LeftId, out var left) || !vehicles.TryGetValue(c.RightId, out var right))
        {
            return null;
        }

        var counts = await db.Relationships.AsNoTracking().Where(r => ids.Contains(r.VehicleId))
            .GroupBy(r => r.VehicleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var group = c.DealerGroupId is { } g ? await db.DealerGroups.AsNoTracking().Where(x => x.Id == g).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var leftComplete = Survivorship.Completeness(left);
        var rightComplete = Survivorship.Completeness(right);
        var fields = VehicleMergeFields.All.Select(field =>
        {
            var l = Survivorship.VehicleValue(left, field);
            var r = Survivorship.VehicleValue(right, field);
            var second = field == VehicleMergeFields.Vin
                ? Survivorship.PrefersSecondVin(left, right)
                : Survivorship.PrefersSecond(l, r, left.UpdatedAt, right.UpdatedAt, leftComplete, rightComplete);
            return new ComparisonField(field, VehicleLabel(field), l, r, !Same(l, r), second ? ComparisonSide.Right : ComparisonSide.Left);
        }).ToList();
        ComparedRecord Record(Vehicle v) => new(v.Id, VehicleName(v), group, v.UpdatedAt, v.SourceFileId is null ? "Manual" : "ImportFile", 0,
            counts.GetValueOrDefault(v.Id), 1);
        return new CandidateComparison(c.Id, c.Version, c.Level, c.EntityKind, c.Score, c.Band, c.Status, Record(left), Record(right), fields, explanation);
    }

    /// <summary>
    /// The engine's explanation, read leniently: an array of field objects, or an object with a "fields" array;
    /// property names in any case; a value that is not text is shown as its JSON. Unreadable JSON gives no rows.
    /// </summary>
    internal static IReadOnlyList<FieldExplanation> ParseExplanation(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                root = Property(root, "fields") ?? default;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var result = new List<FieldExplanation>();
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var field = AsText(Property(item, "field")) ?? AsText(Property(item, "name"));
                if (field is null)
                {
                    continue;
                }

                var weightElement = Property(item, "weight");
                var weight = weightElement is { ValueKind: JsonValueKind.Number } w ? w.GetDouble()
                    : double.TryParse(AsText(weightElement), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                result.Add(new FieldExplanation(field, AsText(Property(item, "level")) ?? "", weight,
                    AsText(Property(item, "left")) ?? AsText(Property(item, "leftValue")),
                    AsText(Property(item, "right")) ?? AsText(Property(item, "rightValue"))));
            }

            return result;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? AsText(JsonElement? element) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } e => e.GetRawText(),
    };

    public async Task<DecisionResult> ApproveAsync(long candidateId, int version, IReadOnlyDictionary<string, ComparisonSide> choices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (!access.MayReviewDuplicates)
        {
            return new DecisionResult(false, NotAllowed);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ApproveAsync(db, candidateId, version, choices, cancellationToken);
    }

    private async Task<DecisionResult> ApproveAsync(CrmDbContext db, long candidateId, int? version, IReadOnlyDictionary<string, ComparisonSide> choices,
        CancellationToken cancellationToken)
    {
        var c = await db.MatchCandidates.AsNoTracking().FirstOrDefaultAsync(x => x.Id == candidateId, cancellationToken);
        if (c is null)
        {
            return new DecisionResult(false, NotFound);
        }

        if (version is { } expected && expected != c.Version)
        {
            return new DecisionResult(false, MergeErrors.DecidedMeanwhile);
        }

        // The older record (lower id) survives: it carries the longer history and the ids others already hold.
        var sources = choices.ToDictionary(kv => kv.Key, kv => kv.Value == ComparisonSide.Right ? c.RightId : c.LeftId, StringComparer.Ordinal);
        var request = new MergeRequest(c.LeftId, c.RightId, c.Id, c.Score, Automatic: false, sources, c.Version);
        var outcome = c.EntityKind == DedupEntityKind.Vehicle
            ? await merger.MergeVehiclesAsync(db, request, cancellationToken)
            : c.Level == DedupLevel.Wholesale
                ? await merger.LinkWholesaleAsync(db, request, cancellationToken)
                : await merger.MergeCustomersAsync(db, request, cancellationToken);
        return new DecisionResult(outcome.Succeeded, outcome.Error, outcome.MergeId);
    }

    public Task<DecisionResult> RejectAsync(long candidateId, int version, CancellationToken cancellationToken) =>
        DecideAsync(candidateId, version, CandidateStatus.NotDuplicate, cancellationToken);

    public Task<DecisionResult> SkipAsync(long candidateId, int version, CancellationToken cancellationToken) =>
        DecideAsync(candidateId, version, CandidateStatus.Skipped, cancellationToken);

    /// <summary>
    /// "Not a duplicate" and "skip". The records' versions at the decision are kept on the candidate, so the engine
    /// can tell when one of them changed (and only then suggest the pair again).
    /// </summary>
    private async Task<DecisionResult> DecideAsync(long candidateId, int version, CandidateStatus status, CancellationToken cancellationToken)
    {
        if (!access.MayReviewDuplicates)
        {
            return new DecisionResult(false, NotAllowed);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var c = await db.MatchCandidates.FirstOrDefaultAsync(x => x.Id == candidateId, cancellationToken);
        if (c is null)
        {
            return new DecisionResult(false, NotFound);
        }

        if (c.Version != version)
        {
            return new DecisionResult(false, MergeErrors.DecidedMeanwhile);
        }

        if (c.Status is CandidateStatus.Merged or CandidateStatus.Linked or CandidateStatus.Superseded)
        {
            return new DecisionResult(false, $"This pair was already decided ({c.Status}).");
        }

        if (c.EntityKind == DedupEntityKind.Customer)
        {
            var ids = new[] { c.LeftId, c.RightId };
            var versions = await db.Customers.IgnoreQueryFilters(LiveOff).AsNoTracking().Where(x => ids.Contains(x.Id))
                .ToDictionaryAsync(x => x.Id, x => x.Version, cancellationToken);
            c.LeftVersion = versions.GetValueOrDefault(c.LeftId, c.LeftVersion);
            c.RightVersion = versions.GetValueOrDefault(c.RightId, c.RightVersion);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        c.Status = status;
        c.DecidedAt = now;
        c.DecidedBy = db.Actor.UserName;
        c.UpdatedAt = now;
        c.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new DecisionResult(false, MergeErrors.DecidedMeanwhile);
        }

        return new DecisionResult(true, null);
    }

    public async Task<BulkApproveResult> ApproveAllAboveAsync(ReviewQueueFilter filter, double minScore, IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!access.MayReviewDuplicates)
        {
            return new BulkApproveResult(0, 0, [NotAllowed]);
        }

        List<(long Id, long Left, long Right)> pairs;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            pairs = (await Filtered(db, filter with { Status = CandidateStatus.Open, MinScore = Math.Max(minScore, filter.MinScore ?? minScore) })
                .OrderByDescending(c => c.Score).ThenBy(c => c.Id)
                .Select(c => new { c.Id, c.LeftId, c.RightId })
                .ToListAsync(cancellationToken)).Select(c => (c.Id, c.LeftId, c.RightId)).ToList();
        }

        var approved = 0;
        var failed = 0;
        var errors = new List<string>();
        var done = 0;
        foreach (var (id, left, right) in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // One context and transaction per pair: a failure stops that pair only.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var status = await db.MatchCandidates.AsNoTracking().Where(c => c.Id == id).Select(c => (CandidateStatus?)c.Status).FirstOrDefaultAsync(cancellationToken);
            if (status == CandidateStatus.Open)
            {
                var result = await ApproveAsync(db, id, null, new Dictionary<string, ComparisonSide>(), cancellationToken);
                if (result.Succeeded)
                {
                    approved++;
                }
                else
                {
                    failed++;
                    errors.Add($"Pair {id} ({left} and {right}): {result.Error}");
                }
            }

            // Pairs superseded by an earlier merge of this run are no failure: their record is already merged.
            progress?.Report(++done);
        }

        return new BulkApproveResult(approved, failed, errors);
    }

    public async Task<IReadOnlyList<MergeHistoryRow>> MergesAsync(DedupEntityKind? kind, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (!access.MayReviewDuplicates)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.RecordMerges.AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(m => m.EntityKind == k);
        }

        var size = Math.Clamp(pageSize, 1, 500);
        var merges = await query.OrderByDescending(m => m.MergedAt).ThenByDescending(m => m.Id)
            .Skip(Math.Max(0, page) * size).Take(size).ToListAsync(cancellationToken);
        var customerNames = await NamesAsync(db, DedupEntityKind.Customer,
            merges.Where(m => m.EntityKind == DedupEntityKind.Customer).SelectMany(m => new[] { m.SurvivorId, m.MergedId }), cancellationToken);
        var vehicleNames = await NamesAsync(db, DedupEntityKind.Vehicle,
            merges.Where(m => m.EntityKind == DedupEntityKind.Vehicle).SelectMany(m => new[] { m.SurvivorId, m.MergedId }), cancellationToken);
        string NameOf(RecordMerge m, long id) => Name(m.EntityKind == DedupEntityKind.Vehicle ? vehicleNames : customerNames, id, m.EntityKind);
        return merges.Select(m => new MergeHistoryRow(m.Id, m.Level, m.EntityKind, m.SurvivorId, NameOf(m, m.SurvivorId), m.MergedId, NameOf(m, m.MergedId),
            m.Score, m.Automatic, m.MergedAt, m.MergedBy, m.UndoneAt, m.UndoneBy)).ToList();
    }

    public async Task<DecisionResult> UndoAsync(long mergeId, CancellationToken cancellationToken)
    {
        if (!access.MayReviewDuplicates)
        {
            return new DecisionResult(false, NotAllowed);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var outcome = await merger.UndoAsync(db, mergeId, cancellationToken);
        return new DecisionResult(outcome.Succeeded, outcome.Error, outcome.MergeId);
    }

    /// <summary>Display names of records as far as the user sees them (tombstones included); unseen ones get a neutral label.</summary>
    private static async Task<Dictionary<long, string>> NamesAsync(CrmDbContext db, DedupEntityKind kind, IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        if (list.Count == 0)
        {
            return [];
        }

        if (kind == DedupEntityKind.Vehicle)
        {
            var vehicles = await db.Vehicles.IgnoreQueryFilters(LiveOff).AsNoTracking().Include(v => v.Brand).Where(v => list.Contains(v.Id))
                .ToListAsync(cancellationToken);
            return vehicles.ToDictionary(v => v.Id, VehicleName);
        }

        var rows = await db.Customers.IgnoreQueryFilters(LiveOff).AsNoTracking().Where(c => list.Contains(c.Id))
            .Select(c => new { c.Id, c.BuyerType, c.Title, c.FirstName, c.LastName, c.CompanyName })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => CustomerSearch.DisplayName(r.BuyerType, r.Title, r.FirstName, r.LastName, r.CompanyName) is { Length: > 0 } n
            ? n
            : $"Customer {r.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    private static async Task<Dictionary<long, string>> GroupNamesAsync(CrmDbContext db, IEnumerable<long?> ids, CancellationToken cancellationToken)
    {
        var list = ids.OfType<long>().Distinct().ToList();
        return list.Count == 0
            ? []
            : await db.DealerGroups.AsNoTracking().Where(g => list.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
    }

    private static string Name(Dictionary<long, string> names, long id, DedupEntityKind kind) =>
        names.TryGetValue(id, out var name) ? name : $"{(kind == DedupEntityKind.Vehicle ? "Vehicle" : "Customer")} {id.ToString(CultureInfo.InvariantCulture)}";

    private static string Display(Customer c) => c.DisplayName is { Length: > 0 } name ? name : $"Customer {c.Id.ToString(CultureInfo.InvariantCulture)}";

    private static string VehicleName(Vehicle v)
    {
        var make = v.Brand?.Name ?? v.Make;
        var text = string.Join(' ', new[] { make, v.Model, v.CurrentPlate ?? v.Vin }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return text.Length > 0 ? text : $"Vehicle {v.Id.ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool Same(string? a, string? b) =>
        string.Equals(a?.Trim() ?? "", b?.Trim() ?? "", StringComparison.OrdinalIgnoreCase);

    private static string CustomerLabel(string field) => field switch
    {
        MergeFields.Title => "Title",
        MergeFields.FirstName => "First name",
        MergeFields.MiddleName => "Middle name",
        MergeFields.LastName => "Last name",
        MergeFields.CompanyName => "Company",
        MergeFields.DateOfBirth => "Date of birth",
        MergeFields.Address => "Address",
        MergeFields.Email => "E-mail",
        MergeFields.Phone => "Phone",
        MergeFields.ResponsibleDealer => "Responsible dealer",
        MergeFields.PaymentMethod => "Payment method",
        _ => field,
    };

    private static string VehicleLabel(string field) => field switch
    {
        VehicleMergeFields.Vin => "VIN",
        VehicleMergeFields.Plate => "Plate",
        VehicleMergeFields.Make => "Make",
        VehicleMergeFields.Model => "Model",
        VehicleMergeFields.Derivative => "Derivative",
        VehicleMergeFields.FuelType => "Fuel",
        VehicleMergeFields.BodyType => "Body",
        VehicleMergeFields.Colour => "Colour",
        VehicleMergeFields.ModelYear => "Model year",
        VehicleMergeFields.FirstRegistration => "First registered",
        _ => field,
    };
}
