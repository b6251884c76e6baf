using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Consents;

/// <summary>Current consent is derived from the append-only history: the latest statement per scope wins.</summary>
public sealed class ConsentStateTests : IDisposable
{
    private const long BrandId = 1;
    private const long OtherBrandId = 2;
    private const long DealerId = 10;
    private static readonly DateTime Monday = new(2025, 6, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Current_OptInThenOptOut_IsOptOut()
    {
        ConsentRecord[] history = [BrandEmail(ConsentStatus.OptIn, Monday), BrandEmail(ConsentStatus.OptOut, Monday.AddDays(3))];

        var current = ConsentState.Current(history);

        Assert.Equal(ConsentStatus.OptOut, Assert.Single(current).Status);
        Assert.False(ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, BrandId, null));
    }

    [Fact]
    public void Current_OptOutThenOptIn_IsOptIn()
    {
        ConsentRecord[] history = [BrandEmail(ConsentStatus.OptOut, Monday), BrandEmail(ConsentStatus.OptIn, Monday.AddDays(3))];

        var allowed = ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, BrandId, null);

        Assert.True(allowed);
    }

    [Fact]
    public void Current_HistoryOutOfOrder_LatestStatementWinsNotLastListed()
    {
        ConsentRecord[] history = [BrandEmail(ConsentStatus.OptOut, Monday.AddDays(5)), BrandEmail(ConsentStatus.OptIn, Monday)];

        var current = Assert.Single(ConsentState.Current(history));

        Assert.Equal((ConsentStatus.OptOut, Monday.AddDays(5)), (current.Status, current.RecordedAt));
    }

    [Fact]
    public void Current_SameInstantUnsavedRecords_OptOutWins()
    {
        ConsentRecord[] history = [BrandEmail(ConsentStatus.OptIn, Monday), BrandEmail(ConsentStatus.OptOut, Monday), BrandEmail(ConsentStatus.OptIn, Monday)];

        var current = Assert.Single(ConsentState.Current(history));

        Assert.Equal(ConsentStatus.OptOut, current.Status);
    }

    [Fact]
    public void Current_BrandAndDealerScopes_AreIndependent()
    {
        ConsentRecord[] history =
        [
            BrandEmail(ConsentStatus.OptIn, Monday),
            Record(ConsentChannel.Email, null, DealerId, ConsentStatus.OptOut, Monday.AddDays(1)),
            Record(ConsentChannel.Email, OtherBrandId, null, ConsentStatus.OptOut, Monday.AddDays(2)),
        ];

        var current = ConsentState.Current(history);

        Assert.Equal(3, current.Count);
        Assert.True(ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, BrandId, null));
        Assert.False(ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, null, DealerId));
        Assert.False(ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, OtherBrandId, null));
    }

    [Fact]
    public void Allows_OtherChannelOrPurposeThanStated_IsFalse()
    {
        ConsentRecord[] history = [BrandEmail(ConsentStatus.OptIn, Monday)];

        var sms = ConsentState.Allows(history, ConsentChannel.Sms, ConsentPurpose.Marketing, BrandId, null);
        var service = ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.ServiceMessages, BrandId, null);

        Assert.False(sms);
        Assert.False(service);
    }

    [Fact]
    public void Allows_NoHistory_IsFalse()
    {
        var allowed = ConsentState.Allows([], ConsentChannel.Post, ConsentPurpose.Marketing, BrandId, null);

        Assert.False(allowed);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(BrandId, DealerId)]
    public void Create_WithoutExactlyOneScope_ThrowsDomainException(long? brandId, long? dealerId)
    {
        var create = () => ConsentState.Create(1, ConsentChannel.Email, ConsentPurpose.Marketing, brandId, dealerId,
            ConsentStatus.OptIn, Monday, ConsentSource.Desk, null);

        Assert.Throws<DomainException>(create);
    }

    [Fact]
    public async Task Current_HistorySavedAndReloaded_LatestStatementPerScopeWins()
    {
        await using (var db = _database.CreateContext())
        {
            var org = await new OrganisationBuilder().SaveAsync(db);
            var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
            db.ConsentRecords.AddRange(
                ConsentState.Create(customer.Id, ConsentChannel.Sms, ConsentPurpose.Marketing, org.Brand.Id, null, ConsentStatus.OptIn, Monday, ConsentSource.Form, "web form"),
                ConsentState.Create(customer.Id, ConsentChannel.Sms, ConsentPurpose.Marketing, org.Brand.Id, null, ConsentStatus.OptOut, Monday.AddDays(7), ConsentSource.Portal, "STOP reply"),
                ConsentState.Create(customer.Id, ConsentChannel.Sms, ConsentPurpose.Marketing, null, org.Dealer.Id, ConsentStatus.OptIn, Monday.AddDays(1), ConsentSource.Desk, null));
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.CreateContext();
        var history = await fresh.ConsentRecords.AsNoTracking().ToListAsync();
        var current = ConsentState.Current(history);

        Assert.Equal(
            [(ConsentStatus.OptIn, ConsentSource.Desk, false), (ConsentStatus.OptOut, ConsentSource.Portal, true)],
            current.Select(c => (c.Status, c.Source, c.BrandId is not null)));
    }

    private static ConsentRecord BrandEmail(ConsentStatus status, DateTime at) => Record(ConsentChannel.Email, BrandId, null, status, at);

    private static ConsentRecord Record(ConsentChannel channel, long? brandId, long? dealerId, ConsentStatus status, DateTime at) =>
        ConsentState.Create(42, channel, ConsentPurpose.Marketing, brandId, dealerId, status, at, ConsentSource.Form, null);
}
