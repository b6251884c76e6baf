using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Merging;

/// <summary>Customers files merged into retail customers, their contacts, wholesale records and the key map.</summary>
public abstract class CustomerMergeTests : MergeTestBase
{
    private static Dictionary<string, string?> Customer(string id, string lastName = "Morgan", string? email = null, string? mobile = null,
        string? postcode = "LS1 4AB", string? firstName = "Alex") =>
        Row(("customer_id", id), ("title", "Mr"), ("first_name", firstName), ("last_name", lastName), ("date_of_birth", "1980-05-17"),
            ("address_line1", "1 Park Row"), ("city", "Leeds"), ("postcode", postcode), ("email", email), ("phone_mobile", mobile),
            ("payment_method", "Finance"), ("insured_accidents", "1"));

    [Fact]
    public async Task Merge_NewCustomers_InsertsRetailRecordsOfTheDealersGroupWithContactsWholesaleAndKeys()
    {
        await ArrangeAsync();
        var file = await NewFileAsync(Org.Dealer, ImportFileType.Customers);

        var result = await MergeAsync(file,
            Customer("C1", email: "Alex.Morgan@Example.com", mobile: "+447700900123"),
            Customer("C2", lastName: "Hughes", firstName: "Sam", postcode: null));

        Assert.Equal((2, 0, 0), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Empty(result.Rejects);
        await using var db = NewContext();
        var alex = await db.Customers.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses)
            .SingleAsync(c => c.LastName == "Morgan");
        Assert.Equal((Org.Group.Id, (long?)Org.Dealer.Id, CustomerSource.ImportFile, (long?)file.Id),
            (alex.DealerGroupId, alex.ResponsibleDealerId, alex.Source, alex.SourceFileId));
        Assert.Equal($"import:{file.Id}:C1", alex.SourceReference);
        Assert.Equal(("Mr", "Alex", new DateOnly(1980, 5, 17), PaymentMethod.Finance, 1),
            (alex.Title, alex.FirstName, alex.DateOfBirth, alex.PaymentMethod, alex.InsuredAccidents));
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, alex.DedupPendingSince);
        Assert.Equal((Clock.GetUtcNow().UtcDateTime, Clock.GetUtcNow().UtcDateTime), (alex.CreatedAt, alex.UpdatedAt));
        var email = Assert.Single(alex.Emails);
        Assert.Equal(("Alex.Morgan@Example.com", "alex.morgan@example.com", true), (email.Address, email.NormalisedAddress, email.IsPrimary));
        var phone = Assert.Single(alex.Phones);
        Assert.Equal(("+447700900123", PhoneKind.Mobile, true), (phone.Number, phone.Kind, phone.IsPrimary));
        var address = Assert.Single(alex.Addresses);
        Assert.Equal(("1 Park Row", "Leeds", "LS1 4AB", "GB", true), (address.Line1, address.City, address.Postcode, address.CountryCode, address.IsPrimary));

        var wholesale = await db.WholesaleCustomers.SingleAsync(w => w.Id == alex.WholesaleCustomerId);
        Assert.Equal((Org.Network.Id, "Morgan", "Alex.Morgan@Example.com", "+447700900123", "LS1 4AB", 1),
            (wholesale.NetworkId, wholesale.LastName, wholesale.Email, wholesale.Phone, wholesale.Postcode, wholesale.RetailRecordCount));
        Assert.Equal(alex.Id, wholesale.FieldSources[WholesaleFields.LastName]);
        Assert.NotEqual(alex.WholesaleCustomerId, (await db.Customers.SingleAsync(c => c.LastName == "Hughes")).WholesaleCustomerId);

        var key = await db.DmsRecords.SingleAsync(r => r.DmsRecordId == "C1");
        Assert.Equal((Org.Dealer.Id, Org.Group.Id, ImportFileType.Customers, alex.Id, file.Id),
            (key.DealerId, key.DealerGroupId, key.RecordType, key.EntityId, key.SourceFileId));
    }

    [Fact]
    public async Task Merge_SameContentTwice_SecondRunIsUnchangedDuplicatesAndWritesNothing()
    {
        await ArrangeAsync();
        var rows = Enumerable.Range(1, 25).Select(i => Customer($"C{i}", lastName: $"Name{i}", email: $"p{i}@example.com", mobile: $"+4477009001{i:D2}")).ToArray();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, rows);
        var again = await NewFileAsync(Org.Dealer, ImportFileType.Customers);
        var before = await CountRowsAsync();

        var second = await MergeAsync(again, rows, chunkSize: 10);

        Assert.Equal((0, 0, 25), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"C{i}"), second.Duplicates.Select(d => d.RecordKey));
        Assert.Equal(Enumerable.Range(2, 25).Select(i => (long)i), second.Duplicates.Select(d => d.LineNumber).Order());
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(25, before["Customers"]);
        Assert.Equal(25, before["WholesaleCustomers"]);
    }

    [Fact]
    public async Task Merge_ChangedRow_UpdatesTheCustomerRecomputesWholesaleAndMarksForDedup()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1", email: "alex@example.com"));
        await using (var db = NewContext())
        {
            var imported = await db.Customers.SingleAsync();
            imported.DedupPendingSince = null;
            await db.SaveChangesAsync();
        }

        Clock.Advance(TimeSpan.FromDays(1));
        var file = await NewFileAsync(Org.Dealer, ImportFileType.Customers);
        var result = await MergeAsync(file, Customer("C1", lastName: "Morgan-Hughes", email: "alex.mh@example.com"));

        Assert.Equal((0, 1, 0), (result.Inserted, result.Updated, result.Unchanged));
        await using var check = NewContext();
        var customer = await check.Customers.Include(c => c.Emails).SingleAsync();
        Assert.Equal(("Morgan-Hughes", (long?)file.Id, Clock.GetUtcNow().UtcDateTime), (customer.LastName, customer.SourceFileId, customer.DedupPendingSince));
        Assert.Equal("alex.mh@example.com", Assert.Single(customer.Emails).Address);
        Assert.Equal(2, customer.Version); // One save clearing the dedup mark, one merge.
        var wholesale = await check.WholesaleCustomers.SingleAsync();
        Assert.Equal(("Morgan-Hughes", "alex.mh@example.com"), (wholesale.LastName, wholesale.Email));
        Assert.Equal(customer.Id, wholesale.FieldSources[WholesaleFields.Email]);
        var key = await check.DmsRecords.SingleAsync();
        Assert.Equal((file.Id, customer.Id), (key.SourceFileId, key.EntityId));
        Assert.Contains(await check.AuditEntries.Where(a => a.EntityType == nameof(Customer)).Select(a => a.Changes).ToListAsync(),
            changes => changes.Contains("Morgan-Hughes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merge_ChangedRow_ReplacesImportedContactsWithoutDuplicatesAndKeepsTheDesksOwn()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1", email: "old@example.com", mobile: "+447700900111"));
        await using (var db = NewContext())
        {
            var customer = await db.Customers.SingleAsync();
            db.CustomerEmails.Add(new CustomerEmail { CustomerId = customer.Id, Address = "desk@example.com", NormalisedAddress = "desk@example.com" });
            db.CustomerEmails.Add(new CustomerEmail { CustomerId = customer.Id, Address = "NEW@example.com", NormalisedAddress = "new@example.com" });
            db.CustomerPhones.Add(new CustomerPhone { CustomerId = customer.Id, Number = "+441132000000", Kind = PhoneKind.Work });
            await db.SaveChangesAsync();
        }

        var changed = Customer("C1", email: "new@example.com", mobile: "+447700900222", postcode: "LS2 9JT");
        await ImportAsync(Org.Dealer, ImportFileType.Customers, changed);
        changed["first_name"] = "Alexander";
        await ImportAsync(Org.Dealer, ImportFileType.Customers, changed);

        await using var check = NewContext();
        var merged = await check.Customers.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).SingleAsync();
        Assert.Equal(["desk@example.com", "new@example.com"], merged.Emails.Select(e => e.NormalisedAddress).Order());
        Assert.Equal("new@example.com", merged.PrimaryEmail!.Address);
        Assert.Equal(["+441132000000", "+447700900222"], merged.Phones.Select(p => p.Number).Order());
        Assert.Equal("LS2 9JT", Assert.Single(merged.Addresses).Postcode);
        Assert.Equal("Alexander", merged.FirstName);
    }

    [Fact]
    public async Task Merge_FieldsTheProfileDoesNotMap_KeepTheirStoredValues()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1", email: "alex@example.com"));
        var narrow = await NewFileAsync(Org.Dealer, ImportFileType.Customers,
            """[{"field":"customer_id","source":"Id"},{"field":"last_name","source":"Surname"},{"field":"first_name","source":"Forename"}]""");

        var result = await MergeAsync(narrow, Row(("customer_id", "C1"), ("last_name", "Moran"), ("first_name", null)));

        Assert.Equal(1, result.Updated);
        await using var db = NewContext();
        var customer = await db.Customers.Include(c => c.Emails).SingleAsync();
        Assert.Equal(("Moran", null, "Mr", new DateOnly(1980, 5, 17)), (customer.LastName, customer.FirstName, customer.Title, customer.DateOfBirth));
        Assert.Equal("alex@example.com", Assert.Single(customer.Emails).Address);
    }

    [Fact]
    public async Task Merge_RowsBreakingCustomerRules_AreRejectedWithColumnAndReason()
    {
        await ArrangeAsync();
        var file = await NewFileAsync(Org.Dealer, ImportFileType.Customers);
        var noName = Customer("C1");
        noName["last_name"] = null;
        var future = Customer("C2");
        future["date_of_birth"] = "2030-01-01";
        var company = Customer("C3");
        company["buyer_type"] = "Company";
        var badChoice = Customer("C4");
        badChoice["payment_method"] = "Barter";

        var result = await MergeAsync(file, noName, future, company, badChoice, Customer("C5"));

        Assert.Equal(1, result.Inserted);
        Assert.Equal(
            [(2L, "last_name"), (3L, "date_of_birth"), (4L, "company_name"), (5L, "payment_method")],
            result.Rejects.Select(r => (r.LineNumber, r.Column!)));
        Assert.Contains("future", result.Rejects[1].Reason, StringComparison.Ordinal);
        Assert.Contains("Barter", result.Rejects[3].Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await CountRowsAsync())["Customers"]);
    }

    [Fact]
    public async Task Merge_SameDmsNumberAtDealersOfTwoGroups_GivesEachGroupItsOwnCustomer()
    {
        await ArrangeAsync();

        await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1", lastName: "North"));
        await ImportAsync(Org.OtherGroupDealer, ImportFileType.Customers, Customer("C1", lastName: "South"));

        await using var db = NewContext();
        var customers = await db.Customers.OrderBy(c => c.LastName).Select(c => new { c.LastName, c.DealerGroupId, c.ResponsibleDealerId }).ToListAsync();
        Assert.Equal([("North", Org.Group.Id, (long?)Org.Dealer.Id), ("South", Org.OtherGroup.Id, (long?)Org.OtherGroupDealer.Id)],
            customers.Select(c => (c.LastName!, c.DealerGroupId, c.ResponsibleDealerId)));
        Assert.Equal(2, await db.DmsRecords.CountAsync(r => r.DmsRecordId == "C1"));
    }

    [Fact]
    public async Task Merge_CustomerDeletedSinceItsImport_IsCreatedAgainAndTheKeyFollows()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1"));
        await using (var db = NewContext())
        {
            var customer = await db.Customers.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).SingleAsync();
            db.Customers.Remove(customer);
            await db.SaveChangesAsync();
        }

        var result = await ImportAsync(Org.Dealer, ImportFileType.Customers, Customer("C1", lastName: "Morgan-Hughes"));

        Assert.Equal(1, result.Inserted);
        await using var check = NewContext();
        var again = await check.Customers.SingleAsync();
        Assert.Equal(again.Id, (await check.DmsRecords.SingleAsync()).EntityId);
    }

    [Fact]
    public async Task Merge_ManyRowsInSeveralChunks_KeepsIdsKeysAndWholesaleConsistent()
    {
        await ArrangeAsync();
        var rows = Enumerable.Range(1, 1200).Select(i => Customer($"C{i:D5}", lastName: $"Name{i % 97}", email: $"p{i}@example.com")).ToArray();

        var result = await MergeAsync(await NewFileAsync(Org.Dealer, ImportFileType.Customers), rows, chunkSize: 500);

        Assert.Equal(1200, result.Inserted);
        await using var db = NewContext();
        Assert.Equal(1200, await db.Customers.CountAsync(c => c.WholesaleCustomer!.RetailRecords.Count == 1 && c.Emails.Count == 1));
        Assert.Equal(1200, await db.DmsRecords.Join(db.Customers, r => r.EntityId, c => c.Id, (r, c) => c.SourceReference!.EndsWith(":" + r.DmsRecordId)).CountAsync(m => m));
        var created = await db.Customers.Select(c => new { c.LastName, c.CreatedAt }).FirstAsync();
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, created.CreatedAt);
    }
}

public sealed class SqliteCustomerMergeTests : CustomerMergeTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlCustomerMergeTests(PostgreSqlServer server) : CustomerMergeTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
