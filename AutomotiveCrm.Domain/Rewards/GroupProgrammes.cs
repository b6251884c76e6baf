using System.Globalization;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>The desk's referral form.</summary>
public sealed record ReferralForm(
    long ReferrerCustomerId,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? VehicleInterest,
    bool ContactConsented,
    long? DealerId);

/// <summary>One benefit of a membership with what is left of it in the current period.</summary>
public sealed record ClubAllowance(ClubBenefit Benefit, int Used, int? Remaining, DateOnly PeriodStart, DateOnly PeriodEnd);

/// <summary>A partner report line: counts only, never a customer.</summary>
public sealed record PartnerReportRow(string Offer, string Month, int Redemptions);

/// <summary>
/// The dealer group's own programmes (seed 002): referrals and their credits, tenure milestones across brands, the
/// owner's club with its allowances, and co-branded partner offers. Money and points always go through the ledger.
/// </summary>
public sealed class GroupProgrammes(RewardsLedger ledger, RewardEnrolment enrolment)
{
    public TimeProvider Clock => ledger.Clock;

    public static async Task<Referral> RecordReferralAsync(CrmDbContext db, ReferralForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(form);
        var referrer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == form.ReferrerCustomerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(form.ReferrerCustomerId);
        var first = Text.Clean(form.FirstName) ?? throw new DomainException("First name: the referred person's first name is required.");
        var last = Text.Clean(form.LastName) ?? throw new DomainException("Last name: the referred person's last name is required.");
        var email = Text.Clean(form.Email)?.ToLowerInvariant();
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.Length > 254))
        {
            throw new DomainException("E-mail: not an e-mail address.");
        }

        string? phone = null;
        if (Text.Clean(form.Phone) is { } rawPhone)
        {
            var country = await CustomerSearch.MarketCountryAsync(db, cancellationToken);
            phone = AutomotiveCrm.Domain.Common.PhoneNumbers.ToE164(rawPhone, country) ?? throw new DomainException($"Phone: '{rawPhone}' is not a phone number.");
        }

        if (email is null && phone is null)
        {
            throw new DomainException("Contact: give the referred person's e-mail or phone, so we can reach them and recognise their purchase.");
        }

        if (!form.ContactConsented)
        {
            throw new DomainException("Consent: the referrer must confirm the person agreed to be contacted.");
        }

        var referral = new Referral
        {
            DealerGroupId = referrer.DealerGroupId,
            ReferrerCustomerId = referrer.Id,
            FirstName = first,
            LastName = last,
            Email = email,
            Phone = phone,
            VehicleInterest = Text.Clean(form.VehicleInterest),
            ConsentEvidence = $"{referrer.DisplayName} confirmed at the desk that {first} {last} agreed to be contacted about a vehicle.",
            RecordedAtDealerId = form.DealerId,
            RecordedBy = db.Actor.UserName,
            Status = ReferralStatus.Open,
        };
        db.Referrals.Add(referral);
        await db.SaveChangesAsync(cancellationToken);
        return referral;
    }

    /// <summary>
    /// Converts every open referral whose referred person has since bought a vehicle from the group (a sale, imported
    /// or recorded at the desk, to a customer with the referral's e-mail or phone). Returns how many converted.
    /// </summary>
    public async Task<int> ConvertReferralsAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        List<(long ReferralId, long SaleId)> matches;
        await using (var db = systemContext())
        {
            var open = await db.Referrals.AsNoTracking().Where(r => r.Status == ReferralStatus.Open).ToListAsync(cancellationToken);
            matches = [];
            foreach (var referral in open)
            {
                var sale = await db.VehicleSales.AsNoTracking()
                    .Where(s => s.DealerGroupId == referral.DealerGroupId && s.CreatedAt >= referral.CreatedAt && s.CustomerId != referral.ReferrerCustomerId
                        && (s.Customer!.Emails.Any(e => referral.Email != null && e.NormalisedAddress == referral.Email)
                            || s.Customer.Phones.Any(p => referral.Phone != null && p.Number == referral.Phone))
                        && !db.Referrals.Any(o => o.VehicleSaleId == s.Id))
                    .OrderBy(s => s.SaleDate).Select(s => s.Id).FirstOrDefaultAsync(cancellationToken);
                if (sale != 0)
                {
                    matches.Add((referral.Id, sale));
                }
            }
        }

        var converted = 0;
        foreach (var (referralId, saleId) in matches)
        {
            await using var db = systemContext();
            try
            {
                await ConvertAsync(db, referralId, saleId, null, cancellationToken);
                converted++;
            }
            catch (DomainException)
            {
                // Converted meanwhile by the desk or another instance.
            }
        }

        return converted;
    }

    /// <summary>
    /// Converts one referral with the sale that fulfilled it: the referrer's service credit and the buyer's discount
    /// (by model and new / used) are posted to their accounts in the group's programme scheme (opened if needed,
    /// with the referral as the recorded reason), and the referral is closed, all in one transaction.
    /// </summary>
    public async Task<Referral> ConvertAsync(CrmDbContext db, long referralId, long saleId, long? dealerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var referral = await db.Referrals.FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken)
            ?? throw RecordNotFoundException.For<Referral>(referralId);
        if (referral.Status != ReferralStatus.Open)
        {
            throw new DomainException($"The referral of {referral.DisplayName} is already {referral.Status.ToString().ToLowerInvariant()}.");
        }

        var sale = await db.VehicleSales.AsNoTracking().Include(s => s.Vehicle).FirstOrDefaultAsync(s => s.Id == saleId, cancellationToken)
            ?? throw RecordNotFoundException.For<Sales.VehicleSale>(saleId);
        if (sale.DealerGroupId != referral.DealerGroupId || sale.CustomerId == referral.ReferrerCustomerId)
        {
            throw new DomainException("Sale: choose the referred person's purchase from this group.");
        }

        var programme = await db.GroupProgrammes.AsNoTracking().Include(p => p.BuyerDiscounts).Include(p => p.Scheme)
            .FirstOrDefaultAsync(p => p.DealerGroupId == referral.DealerGroupId, cancellationToken)
            ?? throw new DomainException("The group has no loyalty programme set up for referrals.");
        var discount = programme.BuyerDiscounts
            .Where(d => (d.Model is null || string.Equals(d.Model, sale.Vehicle?.Model, StringComparison.OrdinalIgnoreCase)) && (d.IsNew is null || d.IsNew == sale.IsNew))
            .OrderByDescending(d => (d.Model is null ? 0 : 2) + (d.IsNew is null ? 0 : 1))
            .Select(d => d.Amount).FirstOrDefault();

        var referrerAccount = await AccountForAsync(db, referral.ReferrerCustomerId, programme, "Referral programme: credit for a referred purchase", cancellationToken);
        var buyerAccount = await AccountForAsync(db, sale.CustomerId, programme, $"Referred by a customer: discount on the purchase of {DescribeSale(sale)}", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Referrals.Where(r => r.Id == referralId && r.Status == ReferralStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReferralStatus.Converted), cancellationToken);
        if (claimed == 0)
        {
            throw new DomainException("The referral was converted by someone else a moment ago.");
        }

        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        if (programme.ReferrerCredit > 0)
        {
            await ledger.AppendAsync(db, new LedgerMovement(referrerAccount, LedgerEntryKind.Referral, 0, programme.ReferrerCredit,
                $"Service credit: {referral.DisplayName} bought {DescribeSale(sale)}", dealerId ?? sale.DealerId, LedgerSource.System, $"referral:{referral.Id}:referrer"), cancellationToken);
        }

        if (discount > 0)
        {
            await ledger.AppendAsync(db, new LedgerMovement(buyerAccount, LedgerEntryKind.Referral, 0, discount,
                $"Referral discount on {DescribeSale(sale)}", dealerId ?? sale.DealerId, LedgerSource.System, $"referral:{referral.Id}:buyer"), cancellationToken);
        }

        db.Entry(referral).State = EntityState.Detached;
        await db.SaveChangesAsync(cancellationToken);
        await db.Referrals.Where(r => r.Id == referralId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.VehicleSaleId, saleId)
            .SetProperty(r => r.ReferredCustomerId, sale.CustomerId)
            .SetProperty(r => r.ReferrerCredit, programme.ReferrerCredit)
            .SetProperty(r => r.BuyerDiscount, discount)
            .SetProperty(r => r.ConvertedAt, now)
            .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await db.Referrals.AsNoTracking().FirstAsync(r => r.Id == referralId, cancellationToken);
    }

    private static string DescribeSale(Sales.VehicleSale sale) =>
        $"a {(sale.IsNew ? "new" : "used")} {sale.Vehicle?.Model ?? "vehicle"} on {sale.SaleDate.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    private async Task<long> AccountForAsync(CrmDbContext db, long customerId, GroupProgramme programme, string evidence, CancellationToken cancellationToken)
    {
        var id = await db.RewardAccounts.IgnoreQueryFilters().Where(a => a.CustomerId == customerId && a.SchemeId == programme.SchemeId)
            .Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (id != 0)
        {
            return id;
        }

        var account = await enrolment.EnrolAsync(db, new EnrolmentRequest(customerId, programme.SchemeId, null, EnrolmentSource.Referral, evidence), cancellationToken);
        db.ChangeTracker.Clear();
        return account.Id;
    }

    /// <summary>
    /// Years of continuous servicing up to <paramref name="today"/>: from the first visit of the latest unbroken run
    /// (no gap between visits longer than <paramref name="maxGapMonths"/>, and the last visit within that gap of
    /// today). Visits of any vehicle and brand count, so changing brand inside the group keeps the tenure.
    /// </summary>
    public static int TenureYears(IEnumerable<DateOnly> visits, int maxGapMonths, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(visits);
        var days = visits.Where(d => d <= today).Distinct().Order().ToList();
        if (days.Count == 0 || days[^1].AddMonths(maxGapMonths) < today)
        {
            return 0;
        }

        var start = days[^1];
        for (var i = days.Count - 1; i > 0 && days[i - 1].AddMonths(maxGapMonths) >= days[i]; i--)
        {
            start = days[i - 1];
        }

        var years = today.Year - start.Year;
        return start.AddYears(years) > today ? years - 1 : years;
    }

    /// <summary>Awards each member every tenure milestone reached (once per account: the milestone's source key).</summary>
    public async Task<int> AwardMilestonesAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var today = DateOnly.FromDateTime(ledger.Clock.GetUtcNow().UtcDateTime);
        var awarded = 0;
        List<GroupProgramme> programmes;
        await using (var db = systemContext())
        {
            programmes = await db.GroupProgrammes.AsNoTracking().Include(p => p.Milestones).Where(p => p.Milestones.Count > 0).ToListAsync(cancellationToken);
        }

        foreach (var programme in programmes)
        {
            List<(long AccountId, int Years)> members;
            await using (var db = systemContext())
            {
                var visits = await (from a in db.RewardAccounts.AsNoTracking()
                                    join v in db.ServiceVisits.AsNoTracking() on a.CustomerId equals v.CustomerId
                                    where a.SchemeId == programme.SchemeId && a.Status == RewardAccountStatus.Active && v.DealerGroupId == programme.DealerGroupId
                                    select new { AccountId = a.Id, v.VisitDate }).ToListAsync(cancellationToken);
                members = visits.GroupBy(v => v.AccountId)
                    .Select(g => (g.Key, TenureYears(g.Select(v => v.VisitDate), programme.TenureMaxGapMonths, today)))
                    .Where(m => m.Item2 > 0).ToList();
            }

            foreach (var (accountId, years) in members)
            {
                foreach (var milestone in programme.Milestones.Where(m => m.Years <= years).OrderBy(m => m.Years))
                {
                    await using var db = systemContext();
                    var before = await db.RewardLedger.AnyAsync(e => e.AccountId == accountId && e.SourceKey == $"tenure:{milestone.Years}y", cancellationToken);
                    if (before)
                    {
                        continue;
                    }

                    await ledger.PostAsync(db, new LedgerMovement(accountId, LedgerEntryKind.Milestone, milestone.Points, milestone.Money,
                        $"{milestone.Name}: {milestone.Years} years servicing with the group", null, LedgerSource.System, $"tenure:{milestone.Years}y"), cancellationToken);
                    awarded++;
                }
            }
        }

        return awarded;
    }

    public static async Task<ClubMembership> SellMembershipAsync(CrmDbContext db, long planId, long customerId, DateOnly start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var plan = await db.ClubPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId && p.IsActive, cancellationToken)
            ?? throw RecordNotFoundException.For<ClubPlan>(planId);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(customerId);
        if (customer.DealerGroupId != plan.DealerGroupId)
        {
            throw new DomainException("Plan: the club belongs to another dealer group.");
        }

        var previous = await db.ClubMemberships.AsNoTracking().Where(m => m.CustomerId == customerId && m.PlanId == planId)
            .OrderByDescending(m => m.EndDate).FirstOrDefaultAsync(cancellationToken);
        if (previous is not null && previous.EndDate >= start)
        {
            throw new DomainException($"Start date: the current membership runs until {previous.EndDate:d MMM yyyy}; a renewal starts after it.");
        }

        var membership = new ClubMembership
        {
            PlanId = plan.Id,
            CustomerId = customer.Id,
            DealerGroupId = customer.DealerGroupId,
            StartDate = start,
            EndDate = start.AddYears(1).AddDays(-1),
            FeePaid = plan.AnnualFee,
            RenewsMembershipId = previous is not null && previous.EndDate.AddDays(1) == start ? previous.Id : null,
            SoldBy = db.Actor.UserName,
        };
        db.ClubMemberships.Add(membership);
        await db.SaveChangesAsync(cancellationToken);
        return membership;
    }

    /// <summary>Renews a membership for the year after its end date.</summary>
    public static async Task<ClubMembership> RenewAsync(CrmDbContext db, long membershipId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var membership = await db.ClubMemberships.AsNoTracking().FirstOrDefaultAsync(m => m.Id == membershipId, cancellationToken)
            ?? throw RecordNotFoundException.For<ClubMembership>(membershipId);
        return await SellMembershipAsync(db, membership.PlanId, membership.CustomerId, membership.EndDate.AddDays(1), cancellationToken);
    }

    /// <summary>The allowances of a membership on a day: used and remaining in each benefit's current period.</summary>
    public static async Task<IReadOnlyList<ClubAllowance>> AllowancesAsync(CrmDbContext db, long membershipId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var membership = await db.ClubMemberships.AsNoTracking().Include(m => m.Plan!).ThenInclude(p => p.Benefits)
            .FirstOrDefaultAsync(m => m.Id == membershipId, cancellationToken)
            ?? throw RecordNotFoundException.For<ClubMembership>(membershipId);
        var uses = await db.ClubBenefitUses.AsNoTracking().Where(u => u.MembershipId == membershipId)
            .Select(u => new { u.BenefitId, u.UsedAt }).ToListAsync(cancellationToken);
        return membership.Plan!.Benefits.OrderBy(b => b.Name).Select(b =>
        {
            var (from, to) = Period(b.Period, membership, day);
            var used = uses.Count(u => u.BenefitId == b.Id && DateOnly.FromDateTime(u.UsedAt) >= from && DateOnly.FromDateTime(u.UsedAt) <= to);
            return new ClubAllowance(b, used, b.Allowance is { } allowance ? Math.Max(0, allowance - used) : null, from, to);
        }).ToList();
    }

    /// <summary>
    /// Records one use of a benefit at the desk; refused when the membership does not cover today or the allowance of
    /// the current period is used up. The membership row is bumped first, so two desks recording at once queue.
    /// </summary>
    public async Task<ClubBenefitUse> RecordUseAsync(CrmDbContext db, long membershipId, long benefitId, long? dealerId, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.ClubMemberships.Where(m => m.Id == membershipId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.UseCount, m => m.UseCount + 1), cancellationToken);
        if (locked == 0)
        {
            throw RecordNotFoundException.For<ClubMembership>(membershipId);
        }

        var membership = await db.ClubMemberships.AsNoTracking().FirstAsync(m => m.Id == membershipId, cancellationToken);
        if (!membership.CoversDay(today))
        {
            throw new DomainException($"The membership ran from {membership.StartDate:d MMM yyyy} to {membership.EndDate:d MMM yyyy}: it does not cover today.");
        }

        var allowance = (await AllowancesAsync(db, membershipId, today, cancellationToken)).FirstOrDefault(a => a.Benefit.Id == benefitId)
            ?? throw RecordNotFoundException.For<ClubBenefit>(benefitId);
        if (allowance.Remaining is 0)
        {
            throw new DomainException($"{allowance.Benefit.Name}: all {allowance.Benefit.Allowance} of this {allowance.Benefit.Period.ToString().ToLowerInvariant()} are used (until {allowance.PeriodEnd:d MMM yyyy}).");
        }

        var use = new ClubBenefitUse
        {
            MembershipId = membershipId,
            BenefitId = benefitId,
            DealerGroupId = membership.DealerGroupId,
            DealerId = dealerId,
            UsedAt = now,
            RecordedBy = db.Actor.UserName,
            Note = Text.Clean(note),
        };
        db.ClubBenefitUses.Add(use);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return use;
    }

    /// <summary>The period of an allowance that contains <paramref name="day"/>: ISO week, calendar month, or the membership year.</summary>
    internal static (DateOnly From, DateOnly To) Period(AllowancePeriod period, ClubMembership membership, DateOnly day) => period switch
    {
        AllowancePeriod.Week => (day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), day.AddDays(-(((int)day.DayOfWeek + 6) % 7) + 6)),
        AllowancePeriod.Month => (new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1)),
        _ => (membership.StartDate, membership.EndDate),
    };

    public async Task<PartnerOfferRedemption> IssuePartnerOfferAsync(CrmDbContext db, long offerId, long customerId, long? dealerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var offer = await db.PartnerOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId, cancellationToken)
            ?? throw RecordNotFoundException.For<PartnerOffer>(offerId);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw RecordNotFoundException.For<Customer>(customerId);
        var today = DateOnly.FromDateTime(ledger.Clock.GetUtcNow().UtcDateTime);
        if ((offer.ValidFrom is { } from && today < from) || (offer.ValidUntil is { } until && today > until))
        {
            throw new DomainException($"{offer.Title}: the offer is not running today.");
        }

        var issued = new PartnerOfferRedemption
        {
            OfferId = offer.Id,
            CustomerId = customer.Id,
            DealerGroupId = customer.DealerGroupId,
            DealerId = dealerId,
            At = ledger.Clock.GetUtcNow().UtcDateTime,
            RecordedBy = db.Actor.UserName,
        };
        db.PartnerOfferRedemptions.Add(issued);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    /// <summary>What a partner may see: per offer and month, how many times it was redeemed. No names, no ids.</summary>
    public static async Task<IReadOnlyList<PartnerReportRow>> PartnerReportAsync(CrmDbContext db, long partnerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.PartnerOfferRedemptions.AsNoTracking().Where(r => r.Offer!.PartnerId == partnerId)
            .Select(r => new { r.Offer!.Title, r.At }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => (r.Title, Month: r.At.ToString("yyyy-MM", CultureInfo.InvariantCulture)))
            .OrderBy(g => g.Key.Month).ThenBy(g => g.Key.Title)
            .Select(g => new PartnerReportRow(g.Key.Title, g.Key.Month, g.Count())).ToList();
    }
}
