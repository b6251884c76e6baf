using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Rewards;

/// <summary>
/// The rewards arrangement most tests start from: the standard organisation, a customer of its first group, a
/// group scheme ("Gold") and the customer's account in it with a balance, all saved. Rewards are added per test with
/// <see cref="AddRewardAsync"/>, whose defaults read as "a 100-point group reward with no other condition".
/// </summary>
internal sealed class RewardsWorld
{
    private RewardsWorld(TestDatabase database, TestOrganisation org, Customer customer, RewardScheme scheme, RewardAccount account)
    {
        Database = database;
        Org = org;
        Customer = customer;
        Scheme = scheme;
        Account = account;
        Ledger = new RewardsLedger(database.Clock);
        Redemptions = new RedemptionService(Ledger, new RedemptionPolicy());
    }

    public TestDatabase Database { get; }
    public TestOrganisation Org { get; }
    public Customer Customer { get; }
    public RewardScheme Scheme { get; }
    public RewardAccount Account { get; }
    public RewardsLedger Ledger { get; }
    public RedemptionService Redemptions { get; }

    public RedemptionPlace Desk => new(Org.Dealer.Id, Org.Group.Id, Org.Dealer.Name);

    public static async Task<RewardsWorld> CreateAsync(TestDatabase database, long balance = 1000)
    {
        await using var db = database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        var customer = await new CustomerBuilder().InGroup(org.Group).WithPhone("07700 900123").WithEmail("alex@example.com").SaveAsync(db);
        var scheme = NewScheme(org, "GOLD", "Gold");
        db.RewardSchemes.Add(scheme);
        await db.SaveChangesAsync();
        var ledger = new RewardsLedger(database.Clock);
        var account = await new RewardEnrolment(ledger).EnrolAsync(db,
            new EnrolmentRequest(customer.Id, scheme.Id, org.Dealer.Id, EnrolmentSource.Desk, "Signed the Gold terms at the desk"));
        if (balance > 0)
        {
            await ledger.PostAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Earn, balance, 0, "Opening balance", org.Dealer.Id, LedgerSource.Desk));
        }

        return new RewardsWorld(database, org, customer, scheme, account);
    }

    public static RewardScheme NewScheme(TestOrganisation org, string code, string name) => new()
    {
        NetworkId = org.Network.Id,
        OwnerLevel = RewardOwnerLevel.Group,
        DealerGroupId = org.Group.Id,
        Code = code,
        Name = name,
        CardPrefix = "7001",
        PointValue = 0.01m,
    };

    public async Task<Reward> AddRewardAsync(Action<Reward>? configure = null)
    {
        await using var db = Database.CreateContext();
        var reward = new Reward
        {
            NetworkId = Org.Network.Id,
            OwnerLevel = RewardOwnerLevel.Group,
            DealerGroupId = Org.Group.Id,
            Code = "R" + Guid.NewGuid().ToString("N")[..8],
            Name = "Free car wash",
            Category = "Service",
            CostPoints = 100,
            ItemName = "Car wash",
        };
        configure?.Invoke(reward);
        db.Rewards.Add(reward);
        await db.SaveChangesAsync();
        return reward;
    }

    public async Task<RedemptionOutcome> RedeemAsync(long rewardId, string? key = null, string? promo = null, RedemptionPlace? place = null)
    {
        await using var db = Database.CreateContext();
        db.Actor = new AuditActor("u1", "desk.user", AuditSource.UI);
        return await Redemptions.RedeemAsync(db, new RedemptionRequest(Account.Id, rewardId, place ?? Desk, key ?? Guid.NewGuid().ToString("N"), promo));
    }

    public async Task<RewardAvailability> EvaluateAsync(long rewardId, RedemptionPlace? place = null)
    {
        await using var db = Database.CreateContext();
        var reward = (await RewardEligibility.CatalogueAsync(db, includeAutomatic: true)).Single(r => r.Id == rewardId);
        var facts = await RewardEligibility.LoadFactsAsync(db, Customer.Id);
        return RewardEligibility.Evaluate(reward, facts, facts.Accounts.Single(a => a.Id == Account.Id), place ?? Desk, Database.Clock.GetUtcNow().UtcDateTime);
    }

    public async Task<(long Points, decimal Money, long StoredPoints, decimal StoredMoney)> BalancesAsync(long? accountId = null)
    {
        await using var db = Database.CreateContext();
        var id = accountId ?? Account.Id;
        var (points, money) = await RewardsLedger.SumAsync(db, id);
        var stored = await db.RewardAccounts.AsNoTracking().SingleAsync(a => a.Id == id);
        return (points, money, stored.PointsBalance, stored.MoneyBalance);
    }

    /// <summary>A vehicle of the brand and model the customer currently owns (a current selling relationship).</summary>
    public async Task GiveVehicleAsync(string model, DateOnly since)
    {
        await using var db = Database.CreateContext();
        var vehicle = await new VehicleBuilder().OfBrand(Org.Brand, model).SaveAsync(db);
        await RelationshipService.StartAsync(db, Org.Dealer.Id, Customer.Id, vehicle.Id, RelationshipType.Selling, since);
    }
}
