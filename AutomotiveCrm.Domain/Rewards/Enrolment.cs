using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// An opt-in to a scheme. <see cref="ConsentEvidence"/> is what the customer agreed to and how (required: enrolment
/// is consent); <see cref="MarketingByEmail"/> also records an e-mail marketing opt-in for the dealer.
/// </summary>
public sealed record EnrolmentRequest(
    long CustomerId,
    long SchemeId,
    long? DealerId,
    EnrolmentSource Source,
    string ConsentEvidence,
    bool MarketingByEmail = false,
    string? PrintedCardNumber = null);

public sealed class RewardEnrolment(RewardsLedger ledger)
{
    private const int CardNumberAttempts = 5;

    /// <summary>
    /// Opens the customer's account in the scheme (one per customer per scheme), issues the card number and posts the
    /// introductory bonus in the same transaction. The customer and the scheme must be visible to the context's user.
    /// </summary>
    public async Task<RewardAccount> EnrolAsync(CrmDbContext db, EnrolmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var evidence = Text.Clean(request.ConsentEvidence)
            ?? throw new DomainException("Consent: say what the customer agreed to (the terms read out or signed).");
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.CustomerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customers.Customer>(request.CustomerId);
        var scheme = await db.RewardSchemes.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SchemeId, cancellationToken)
            ?? throw RecordNotFoundException.For<RewardScheme>(request.SchemeId);
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        if (!scheme.OpenOn(today))
        {
            throw new DomainException($"Scheme: {scheme.Name} is not open for enrolment on {today:d MMM yyyy}.");
        }

        if (scheme.DealerGroupId is { } owner && owner != customer.DealerGroupId)
        {
            throw new DomainException($"Scheme: {scheme.Name} belongs to another dealer group.");
        }

        var existingCustomer = await db.Relationships.AnyAsync(r => r.CustomerId == customer.Id && r.Type == RelationshipType.Selling, cancellationToken)
            || await db.ServiceVisits.AnyAsync(v => v.CustomerId == customer.Id, cancellationToken);
        if (existingCustomer && !scheme.OpenToExistingCustomers)
        {
            throw new DomainException($"Scheme: {scheme.Name} is open to new customers only, and this customer has bought or serviced with us.");
        }

        if (!existingCustomer && !scheme.OpenToNewCustomers)
        {
            throw new DomainException($"Scheme: {scheme.Name} is open to existing customers only.");
        }

        if (await db.RewardAccounts.AnyAsync(a => a.CustomerId == customer.Id && a.SchemeId == scheme.Id, cancellationToken))
        {
            throw new DomainException($"Scheme: the customer is already a member of {scheme.Name}.");
        }

        var printed = CardNumbers.Normalise(request.PrintedCardNumber);
        if (request.PrintedCardNumber is not null && (printed is null || !CardNumbers.IsValid(printed)))
        {
            throw new DomainException("Card number: the printed card's number is not valid (check digit).");
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var account = new RewardAccount
            {
                CustomerId = customer.Id,
                DealerGroupId = customer.DealerGroupId,
                SchemeId = scheme.Id,
                CardNumber = printed ?? CardNumbers.Create(scheme.CardPrefix),
                Status = RewardAccountStatus.Active,
                EnrolledAt = now,
                EnrolmentSource = request.Source,
                EnrolledAtDealerId = request.DealerId,
                EnrolledBy = db.Actor.UserName,
                ConsentEvidence = evidence,
            };
            db.RewardAccounts.Add(account);
            if (request.MarketingByEmail && request.DealerId is { } dealerId)
            {
                db.ConsentRecords.Add(ConsentState.Create(customer.Id, ConsentChannel.Email, ConsentPurpose.Marketing, null, dealerId,
                    ConsentStatus.OptIn, now, ConsentSource.Desk, $"Opted in when joining {scheme.Name}: {evidence}"));
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (scheme.IntroBonusPoints > 0)
                {
                    await ledger.AppendAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.IntroBonus, scheme.IntroBonusPoints, 0,
                        $"Welcome bonus for joining {scheme.Name}", request.DealerId, SourceOf(request.Source), "intro"), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return account;
            }
            catch (DbUpdateException) when (attempt < CardNumberAttempts && printed is null)
            {
                // Most likely a card number already issued (random body); a second enrolment of the same customer
                // would fail again on the next attempt and surface.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }

    internal static LedgerSource SourceOf(EnrolmentSource source) => source switch
    {
        EnrolmentSource.Import => LedgerSource.Import,
        EnrolmentSource.Portal => LedgerSource.Portal,
        EnrolmentSource.Referral => LedgerSource.System,
        _ => LedgerSource.Desk,
    };
}
