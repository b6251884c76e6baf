using System.Globalization;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Rules;

/// <summary>One version of a level's rules as the stewards' screen lists it.</summary>
public sealed record DedupRuleSetRow(long Id, DedupLevel Level, int Version, string Name, double AutoThreshold, double ReviewThreshold, bool IsActive,
    DateTime CreatedAt, string CreatedBy, string? Notes);

/// <summary>
/// The matching rules of a network per level, as stewards see and set them. Every change is a new version: the active
/// one is retired, the new one keeps the trained weights and takes the new thresholds, so candidates and merges keep
/// naming the rules that scored them.
/// </summary>
public static class DedupRuleSets
{
    /// <summary>The lowest and highest threshold a steward may set (match weights in bits; the trained defaults are 0 and 10).</summary>
    public const double MinThreshold = -10;

    public const double MaxThreshold = 40;

    /// <summary>The versions of a level in the context's scope, newest first.</summary>
    public static Task<List<DedupRuleSetRow>> HistoryAsync(CrmDbContext db, DedupLevel level, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.DedupRuleSets.AsNoTracking().Where(r => r.Level == level)
            .OrderByDescending(r => r.Version)
            .Take(take)
            .Select(r => new DedupRuleSetRow(r.Id, r.Level, r.Version, r.Name, r.AutoThreshold, r.ReviewThreshold, r.IsActive, r.CreatedAt, r.CreatedBy, r.Notes))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a new version of the level's active rules with the given thresholds. Only network-level users change a
    /// network's rules; the level needs rules already (its first full run trains them). Returns the new version.
    /// </summary>
    public static async Task<DedupRuleSetRow> ChangeThresholdsAsync(CrmDbContext db, ScopeLevel actorLevel, DedupLevel level, double autoThreshold,
        double reviewThreshold, string changedBy, string? note, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (actorLevel != ScopeLevel.Network)
        {
            throw new DomainException("Matching thresholds apply to the whole network: only network users change them.");
        }

        Check(autoThreshold, "automatic");
        Check(reviewThreshold, "review");
        if (reviewThreshold >= autoThreshold)
        {
            throw new DomainException(string.Create(CultureInfo.InvariantCulture,
                $"The review threshold ({reviewThreshold:0.##}) must be below the automatic one ({autoThreshold:0.##})."));
        }

        var active = await db.DedupRuleSets.Where(r => r.Level == level && r.IsActive).OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There are no {level.ToString().ToLowerInvariant()} rules yet: a first full run trains them.");
        var version = await db.DedupRuleSets.Where(r => r.NetworkId == active.NetworkId && r.Level == level).MaxAsync(r => r.Version, cancellationToken) + 1;
        var text = Text.Clean(note);
        var next = new DedupRuleSet
        {
            NetworkId = active.NetworkId,
            Level = level,
            Version = version,
            Name = $"{level} rules v{version} (thresholds)",
            AutoThreshold = autoThreshold,
            ReviewThreshold = reviewThreshold,
            ModelJson = active.ModelJson,
            IsActive = true,
            CreatedAt = now,
            CreatedBy = changedBy,
            Notes = string.Create(CultureInfo.InvariantCulture,
                $"Thresholds {active.ReviewThreshold:0.##} / {active.AutoThreshold:0.##} changed to {reviewThreshold:0.##} / {autoThreshold:0.##} (review / automatic).")
                + (string.IsNullOrEmpty(text) ? "" : " " + text),
        };
        if (next.Notes.Length > 2000)
        {
            next.Notes = next.Notes[..2000];
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        active.IsActive = false;
        db.DedupRuleSets.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DedupRuleSetRow(next.Id, next.Level, next.Version, next.Name, next.AutoThreshold, next.ReviewThreshold, true, next.CreatedAt, next.CreatedBy,
            next.Notes);
    }

    private static void Check(double value, string which)
    {
        if (!double.IsFinite(value) || value < MinThreshold || value > MaxThreshold)
        {
            throw new DomainException(string.Create(CultureInfo.InvariantCulture,
                $"The {which} threshold must be a number from {MinThreshold:0} to {MaxThreshold:0}."));
        }
    }
}
