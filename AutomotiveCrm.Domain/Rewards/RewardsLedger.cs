using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>One movement to post: signed points and money, with why, where and from what.</summary>
public sealed record LedgerMovement(
    long AccountId,
    LedgerEntryKind Kind,
    long Points,
    decimal Money,
    string Reason,
    long? DealerId,
    LedgerSource Source,
    string? SourceKey = null,
    long? ReversesEntryId = null,
    long? RedemptionId = null);

/// <summary>The balance refused a debit (or the account is closed): nothing was written.</summary>
public sealed class InsufficientBalanceException(string message) : DomainException(message);

/// <summary>
/// The only writer of ledger rows. Each posting moves the account's stored balance with a conditional UPDATE (the
/// balance may never go below zero) and inserts the row explaining it, in one transaction: the stored balance always
/// equals the sum of the rows. On SQLite the transaction starts with BEGIN IMMEDIATE (Microsoft.Data.Sqlite's
/// default), so concurrent writers queue for the write lock instead of deadlocking; on PostgreSQL the UPDATE locks
/// the account row until the commit.
/// </summary>
public sealed class RewardsLedger(TimeProvider clock)
{
    public TimeProvider Clock => clock;

    /// <summary>Posts one movement in its own transaction. A movement whose source key the account already has is not posted again.</summary>
    public async Task<LedgerEntry> PostAsync(CrmDbContext db, LedgerMovement movement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(movement);
        if (movement.SourceKey is not null
            && await FindBySourceKeyAsync(db, movement.AccountId, movement.SourceKey, cancellationToken) is { } existing)
        {
            return existing;
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var entry = await AppendAsync(db, movement, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return entry;
        }
        catch (DbUpdateException) when (movement.SourceKey is not null && transaction is not null)
        {
            // Another writer posted the same cause first (unique source key): theirs stands, ours rolls back.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await FindBySourceKeyAsync(db, movement.AccountId, movement.SourceKey, cancellationToken)
                ?? throw new DomainException("The movement could not be saved.");
        }
    }

    /// <summary>
    /// Inside the caller's transaction: moves the balance now and adds the row to the context (saved by the caller's
    /// SaveChanges in the same transaction). Throws <see cref="InsufficientBalanceException"/> when the balance would
    /// go below zero.
    /// </summary>
    internal async Task<LedgerEntry> AppendAsync(CrmDbContext db, LedgerMovement m, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A ledger row and its balance move are written in one transaction.");
        }

        var reason = Text.Clean(m.Reason) ?? throw new DomainException("Reason: every movement of points or money says why.");
        if (m.Points == 0 && m.Money == 0)
        {
            throw new DomainException("Points: a movement moves points or money.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var moved = await db.RewardAccounts.IgnoreQueryFilters()
            .Where(a => a.Id == m.AccountId && a.Status == RewardAccountStatus.Active
                && a.PointsBalance + m.Points >= 0 && a.MoneyBalance + m.Money >= 0)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.PointsBalance, a => a.PointsBalance + m.Points)
                .SetProperty(a => a.MoneyBalance, a => a.MoneyBalance + m.Money)
                .SetProperty(a => a.UpdatedAt, now), cancellationToken);
        var account = await db.RewardAccounts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.Id == m.AccountId)
            .Select(a => new { a.CustomerId, a.DealerGroupId, a.PointsBalance, a.MoneyBalance, a.Status })
            .FirstOrDefaultAsync(cancellationToken) ?? throw RecordNotFoundException.For<RewardAccount>(m.AccountId);
        if (moved == 0)
        {
            throw account.Status != RewardAccountStatus.Active
                ? new InsufficientBalanceException("The account is closed.")
                : new InsufficientBalanceException(FormattableString.Invariant(
                    $"The balance is {account.PointsBalance} points and {account.MoneyBalance:0.00} in credit: it cannot cover {-m.Points} points and {-m.Money:0.00}."));
        }

        var entry = new LedgerEntry
        {
            AccountId = m.AccountId,
            CustomerId = account.CustomerId,
            DealerGroupId = account.DealerGroupId,
            Kind = m.Kind,
            Points = m.Points,
            Money = m.Money,
            Reason = reason,
            Actor = db.Actor.UserName,
            ActorUserId = db.Actor.UserId,
            DealerId = m.DealerId,
            Source = m.Source,
            SourceKey = m.SourceKey,
            ReversesEntryId = m.ReversesEntryId,
            RedemptionId = m.RedemptionId,
            At = now,
            Posted = true,
        };
        db.RewardLedger.Add(entry);
        return entry;
    }

    private static Task<LedgerEntry?> FindBySourceKeyAsync(CrmDbContext db, long accountId, string sourceKey, CancellationToken cancellationToken) =>
        db.RewardLedger.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(e => e.AccountId == accountId && e.SourceKey == sourceKey, cancellationToken);

    /// <summary>The account's balances recomputed from its rows (the invariant the stored balance must meet).</summary>
    public static async Task<(long Points, decimal Money)> SumAsync(CrmDbContext db, long accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.RewardLedger.IgnoreQueryFilters().AsNoTracking().Where(e => e.AccountId == accountId)
            .Select(e => new { e.Points, e.Money }).ToListAsync(cancellationToken);
        return (rows.Sum(r => r.Points), rows.Sum(r => r.Money));
    }
}
