using System.Text.Json;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Vehicles;

/// <summary>Scores and bands of vehicle pairs; the defaults keep one-edit VINs in review and merge only identical ones.</summary>
public sealed record VehicleMatchOptions
{
    /// <summary>At or above: merged without review (when a merger is given).</summary>
    public double AutoThreshold { get; init; } = 18;

    /// <summary>At or above (and below <see cref="AutoThreshold"/>): queued for review.</summary>
    public double ReviewThreshold { get; init; } = 5;

    /// <summary>Rows written per save.</summary>
    public int BatchSize { get; init; } = 500;
}

/// <summary>What one pass found and did.</summary>
public sealed record VehicleDuplicateResult(int Customers, int VehiclePairsCompared, int Candidates, int Automatic, int Review, int Merged,
    int Superseded, IReadOnlyList<string> MergeErrors);

/// <summary>
/// Duplicate vehicles per customer: two vehicle records linked to the same customer (through relationships of any
/// period) that are probably one car. Evidence, strongest first: the same VIN once normalised (case, spaces, the
/// letters O, I and Q a VIN never contains); VINs one edit apart (optimal string alignment), stronger when the check
/// digit, where it applies, marks exactly one of them as mistyped; the same plate with the same make and model, a
/// weaker hint used only when a VIN is missing (plates move between cars, so two different VINs outweigh a plate).
/// </summary>
public static class VehicleDuplicateFinder
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Scores every pair of vehicles sharing a customer in the network and writes <see cref="MatchCandidate"/> rows
    /// (EntityKind Vehicle, Level Retail, DealerGroupId and OwnerCustomerId of the customer). An open or skipped
    /// row is re-scored; a "not a duplicate" row is reopened only when one of the vehicles changed (the versions are a
    /// hash of VIN, plate, make and model); decided rows are left alone; open rows no longer scored are superseded.
    /// When <paramref name="merger"/> is given, pairs in the automatic band are merged (the older record survives).
    /// Reads through the given context and its filters: pass a system context for a full pass. With
    /// <paramref name="customerIds"/> only those customers' vehicles are looked at (an incremental run: the records
    /// new or changed, and the survivors of its merges), and only their open rows can be superseded.
    /// </summary>
    public static async Task<VehicleDuplicateResult> FindAsync(CrmDbContext db, long networkId, VehicleMatchOptions? options = null,
        IRecordMerger? merger = null, long? runId = null, TimeProvider? clock = null, IReadOnlyCollection<long>? customerIds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        options ??= new VehicleMatchOptions();
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var subset = customerIds?.ToHashSet();
        if (subset is { Count: 0 })
        {
            return new VehicleDuplicateResult(0, 0, 0, 0, 0, 0, 0, []);
        }

        var relationships = db.Relationships.AsNoTracking()
            .Where(r => r.Vehicle!.NetworkId == networkId && r.Vehicle.MergedIntoId == null && r.Customer!.MergedIntoId == null);
        if (subset is not null)
        {
            var ids = subset.ToList();
            relationships = relationships.Where(r => ids.Contains(r.CustomerId));
        }

        var links = await relationships
            .Select(r => new { r.CustomerId, r.VehicleId, r.Customer!.DealerGroupId })
            .Distinct()
            .ToListAsync(cancellationToken);
        var owners = links.GroupBy(l => l.CustomerId)
            .Select(g => (CustomerId: g.Key, GroupId: g.First().DealerGroupId, Vehicles: g.Select(l => l.VehicleId).Distinct().Order().ToList()))
            .Where(o => o.Vehicles.Count > 1)
            .ToList();
        var vehicleIds = owners.SelectMany(o => o.Vehicles).Distinct().ToList();
        var vehicles = new Dictionary<long, VehicleFacts>();
        foreach (var chunk in vehicleIds.Chunk(1000))
        {
            foreach (var v in await db.Vehicles.IgnoreQueryFilters().AsNoTracking().Where(v => chunk.Contains(v.Id))
                .Select(v => new { v.Id, v.Vin, v.CurrentPlate, v.BrandId, BrandName = v.Brand != null ? v.Brand.Name : null, v.Make, v.Model })
                .ToListAsync(cancellationToken))
            {
                vehicles[v.Id] = new VehicleFacts(v.Id, v.Vin, VinMatching.Normalise(v.Vin), PlateRegistration.Normalise(v.CurrentPlate),
                    v.BrandName ?? v.Make, v.Model);
            }
        }

        var found = new Dictionary<(long, long), Found>();
        var compared = 0;
        foreach (var owner in owners)
        {
            for (var i = 0; i < owner.Vehicles.Count; i++)
            {
                for (var j = i + 1; j < owner.Vehicles.Count; j++)
                {
                    if (!vehicles.TryGetValue(owner.Vehicles[i], out var left) || !vehicles.TryGetValue(owner.Vehicles[j], out var right))
                    {
                        continue;
                    }

                    compared++;
                    var (score, fields) = Score(left, right);
                    if (score < options.ReviewThreshold || found.ContainsKey((left.Id, right.Id)))
                    {
                        continue;
                    }

                    found[(left.Id, right.Id)] = new Found(left, right, owner.CustomerId, owner.GroupId, score, fields);
                }
            }
        }

        var existing = await db.MatchCandidates.IgnoreQueryFilters()
            .Where(c => c.EntityKind == DedupEntityKind.Vehicle && c.NetworkId == networkId)
            .ToDictionaryAsync(c => (c.LeftId, c.RightId), cancellationToken);
        var automatic = new List<MatchCandidate>();
        var written = 0;
        var review = 0;
        foreach (var pair in found.Values)
        {
            var band = pair.Score >= options.AutoThreshold ? MatchBand.Automatic : MatchBand.Review;
            var leftVersion = pair.Left.Version;
            var rightVersion = pair.Right.Version;
            if (existing.TryGetValue((pair.Left.Id, pair.Right.Id), out var candidate))
            {
                var reopen = candidate.Status is CandidateStatus.Open or CandidateStatus.Skipped
                    || (candidate.Status == CandidateStatus.NotDuplicate && (candidate.LeftVersion != leftVersion || candidate.RightVersion != rightVersion));
                if (!reopen)
                {
                    continue;
                }

                candidate.Status = CandidateStatus.Open;
                candidate.DecidedAt = null;
                candidate.DecidedBy = null;
                candidate.Version++;
            }
            else
            {
                candidate = new MatchCandidate
                {
                    NetworkId = networkId,
                    Level = DedupLevel.Retail,
                    EntityKind = DedupEntityKind.Vehicle,
                    LeftId = pair.Left.Id,
                    RightId = pair.Right.Id,
                    Status = CandidateStatus.Open,
                    CreatedAt = now,
                    ExplanationJson = "",
                    Reasons = "",
                };
                db.MatchCandidates.Add(candidate);
            }

            candidate.DealerGroupId = pair.GroupId;
            candidate.OwnerCustomerId = pair.CustomerId;
            candidate.Score = Math.Round(pair.Score, 2);
            candidate.Band = band;
            candidate.ExplanationJson = JsonSerializer.Serialize(pair.Fields, Json);
            candidate.Reasons = string.Join(", ", pair.Fields.Where(f => f.Weight > 0).OrderByDescending(f => f.Weight).Select(f => $"{f.Field}: {f.Level}"));
            candidate.RunId = runId ?? candidate.RunId;
            candidate.LeftVersion = leftVersion;
            candidate.RightVersion = rightVersion;
            candidate.UpdatedAt = now;
            written++;
            if (band == MatchBand.Automatic)
            {
                automatic.Add(candidate);
            }
            else
            {
                review++;
            }

            if (written % options.BatchSize == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        var superseded = 0;
        foreach (var stale in existing.Values.Where(c => c.Status == CandidateStatus.Open && !found.ContainsKey((c.LeftId, c.RightId))
            && (subset is null || (c.OwnerCustomerId is { } owner && subset.Contains(owner)))))
        {
            stale.Status = CandidateStatus.Superseded;
            stale.UpdatedAt = now;
            stale.Version++;
            superseded++;
        }

        await db.SaveChangesAsync(cancellationToken);

        var merged = 0;
        var errors = new List<string>();
        if (merger is not null)
        {
            foreach (var candidate in automatic)
            {
                var outcome = await merger.MergeVehiclesAsync(db,
                    new MergeRequest(candidate.LeftId, candidate.RightId, candidate.Id, candidate.Score, Automatic: true), cancellationToken);
                if (outcome.Succeeded)
                {
                    merged++;
                }
                else
                {
                    errors.Add($"Vehicles {candidate.LeftId} and {candidate.RightId}: {outcome.Error}");
                }
            }
        }

        return new VehicleDuplicateResult(owners.Count, compared, written, automatic.Count, review, merged, superseded, errors);
    }

    /// <summary>The score of one pair and its per-field breakdown (the review screen's "why these two match").</summary>
    internal static (double Score, List<FieldExplanation> Fields) Score(VehicleFacts left, VehicleFacts right)
    {
        var fields = new List<FieldExplanation>();
        double score = 0;
        var vinsKnown = left.NormalisedVin is not null && right.NormalisedVin is not null;
        if (vinsKnown)
        {
            var distance = VinMatching.Distance(left.NormalisedVin!, right.NormalisedVin!, 1);
            if (distance == 0)
            {
                var label = string.Equals(left.Vin, right.Vin, StringComparison.Ordinal) ? "exact" : "exact after O/I/Q and spacing";
                fields.Add(new FieldExplanation("vin", label, 20, left.Vin, right.Vin));
                score += 20;
            }
            else if (distance == 1)
            {
                var weight = 12.0;
                var label = "one edit apart";
                var leftCheck = VinMatching.CheckDigitValid(left.NormalisedVin);
                var rightCheck = VinMatching.CheckDigitValid(right.NormalisedVin);
                if (leftCheck is not null && rightCheck is not null)
                {
                    if (leftCheck != rightCheck)
                    {
                        // One of them fails its check digit: a typo in that one is the likely story.
                        weight += 3;
                        label = "one edit apart, check digit marks a typo";
                    }
                    else if (leftCheck == true)
                    {
                        // Two VINs that both pass the check digit are more likely two cars.
                        weight -= 6;
                        label = "one edit apart, both check digits valid";
                    }
                }

                fields.Add(new FieldExplanation("vin", label, weight, left.Vin, right.Vin));
                score += weight;
            }
            else
            {
                // Two different VINs are two cars, whatever the plate says.
                fields.Add(new FieldExplanation("vin", "different", -20, left.Vin, right.Vin));
                return (-20, fields);
            }
        }

        var samePlate = left.Plate is not null && left.Plate == right.Plate;
        var sameMake = Same(left.Make, right.Make);
        var sameModel = Same(left.Model, right.Model);
        if (samePlate)
        {
            // A plate alone moves between cars: it counts together with make and model, or to support a VIN match.
            var weight = vinsKnown ? 2 : sameMake == true && sameModel == true ? 4 : 0;
            fields.Add(new FieldExplanation("plate", "exact", weight, left.Plate, right.Plate));
            score += weight;
        }
        else if (left.Plate is not null && right.Plate is not null)
        {
            fields.Add(new FieldExplanation("plate", "different", 0, left.Plate, right.Plate));
        }

        if (sameMake is not null)
        {
            var weight = sameMake.Value ? 1 : -3;
            fields.Add(new FieldExplanation("make", sameMake.Value ? "exact" : "different", weight, left.Make, right.Make));
            score += weight;
        }

        if (sameModel is not null)
        {
            var weight = sameModel.Value ? 1 : -3;
            fields.Add(new FieldExplanation("model", sameModel.Value ? "exact" : "different", weight, left.Model, right.Model));
            score += weight;
        }

        if (!vinsKnown && !samePlate)
        {
            return (0, fields);
        }

        return (score, fields);
    }

    private static bool? Same(string? a, string? b) =>
        string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b) ? null : string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    internal sealed record VehicleFacts(long Id, string? Vin, string? NormalisedVin, string? Plate, string? Make, string? Model)
    {
        /// <summary>A stable fingerprint of what the comparison reads: a "not a duplicate" holds until it changes.</summary>
        public int Version
        {
            get
            {
                unchecked
                {
                    var hash = (int)2166136261;
                    foreach (var ch in $"{NormalisedVin}|{Plate}|{Make?.ToUpperInvariant()}|{Model?.ToUpperInvariant()}")
                    {
                        hash = (hash ^ ch) * 16777619;
                    }

                    return hash & int.MaxValue;
                }
            }
        }
    }

    private sealed record Found(VehicleFacts Left, VehicleFacts Right, long CustomerId, long GroupId, double Score, List<FieldExplanation> Fields);
}
