using System.IO.Compression;
using System.Text;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Customers;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>The export writers over the user-scoped search stream, and the list's query string they share.</summary>
public sealed class CustomerExportTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private TestOrganisation _org = null!;

    public async Task InitializeAsync()
    {
        await using var db = _database.CreateContext();
        _org = await new OrganisationBuilder().SaveAsync(db);
        await new CustomerBuilder().InGroup(_org.Group).Named("=HYPERLINK(\"http://x\")", "Evil").WithEmail("@sum@example.com").SaveAsync(db);
        await new CustomerBuilder().InGroup(_org.Group).Named("Quote \"Q\"", "Multi\nLine, Jr").SaveAsync(db);
        await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private async Task<byte[]> ExportCsvAsync()
    {
        await using var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Manager]);
        using var output = new MemoryStream();
        await CustomerExport.WriteCsvAsync(CustomerSearch.StreamAsync(db, new CustomerFilter()), output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 7700", "'+44 7700")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("Morgan", "Morgan")]
    [InlineData("", "")]
    public void Neutralise_FormulaStarts_PrefixedWithQuote(string value, string expected)
    {
        Assert.Equal(expected, CustomerExport.Neutralise(value));
    }

    [Fact]
    public async Task Csv_GroupScope_OnlyOwnRowsWithBomQuotingAndNeutralisedCells()
    {
        var bytes = await ExportCsvAsync();

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        Assert.StartsWith("Id,Name,Dealer group,E-mail,Phone,Postcode,Responsible dealer,Vehicles,Updated (UTC),Created (UTC)\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Othergroup", text, StringComparison.Ordinal);
        // The formula is neutralised and, as it holds quotes, quoted with its quotes doubled.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\") Evil\",", text, StringComparison.Ordinal);
        Assert.Contains(",'@sum@example.com,", text, StringComparison.Ordinal);
        Assert.Contains(",\"Quote \"\"Q\"\" Multi\nLine, Jr\",", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Xlsx_GroupScope_WorkbookWithNeutralisedInlineStrings()
    {
        await using var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Manager]);
        using var output = new MemoryStream();

        await CustomerExport.WriteXlsxAsync(CustomerSearch.StreamAsync(db, new CustomerFilter()), output);

        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        var sheetEntry = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        using var reader = new StreamReader(sheetEntry.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("'=HYPERLINK(", xml, StringComparison.Ordinal);
        Assert.Contains("'@sum@example.com", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("Othergroup", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<x:f>", xml, StringComparison.Ordinal);
        Assert.Equal(3, xml.Split("<x:row", StringSplitOptions.None).Length - 1);
    }

    [Fact]
    public void ListQuery_RoundTrip_KeepsEveryFilterSortAndPage()
    {
        var query = new CustomerListQuery(new CustomerFilter
        {
            Text = "alex morgan",
            GroupId = 3,
            ResponsibleDealerId = 7,
            BuyerType = BuyerType.Company,
            PaymentMethod = PaymentMethod.Lease,
            Source = CustomerSource.ImportFile,
            HasEmail = true,
            HasPhone = false,
            Sort = CustomerSort.Updated,
            Descending = true,
        }, Page: 2, PageSize: 50);

        var text = query.ToQueryString();
        var parsed = CustomerListQuery.Parse("http://localhost/customers" + text);

        Assert.Equal(query, parsed);
        Assert.Equal("?q=alex%20morgan&group=3&dealer=7&buyer=Company&payment=Lease&source=ImportFile&email=yes&phone=no&sort=updated&desc=yes&page=3&size=50", text);
    }

    [Fact]
    public void ListQuery_Garbage_FallsBackToDefaults()
    {
        var parsed = CustomerListQuery.Parse("?group=abc&buyer=7&sort=nope&page=-1&size=3&email=maybe");

        Assert.Equal(CustomerListQuery.Default, parsed);
    }
}
