using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Imports;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>The profile editor as a network administrator: validation before saving, the version check, saving.</summary>
public sealed class ImportProfileEditorTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase database = new();
    private readonly TempFolder folder = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;
    private ImportProfile profile = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            profile = new ImportProfile
            {
                NetworkId = org.Network.Id,
                Name = "Roadstar Customers",
                DmsProvider = "Roadstar",
                FileType = ImportFileType.Customers,
                Delimiter = ";",
                DateFormat = "dd.MM.yyyy",
                FileNamePattern = "KUNDEN_*.csv",
                ColumnMap = ImportProfileRules.WriteColumnMap([new ColumnMapping("customer_id", "KUNDENNR"), new ColumnMapping("last_name", "NAME")]),
            };
            db.ImportProfiles.Add(profile);
            await db.SaveChangesAsync();
        }

        context = ImportScreenContext.Create(database, ImportScreenContext.NetworkAdministrator(org), folder.Path);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }

    private static void Source(IRenderedComponent<ImportProfileEditor> page, string field, string value) =>
        page.Find($"tr[data-field='{field}'] input").Change(value);

    [Fact]
    public void Editor_ExistingProfile_ShowsSettingsAndOneMappingRowPerCanonicalField()
    {
        var page = context.Render<ImportProfileEditor>(p => p.Add(c => c.Id, profile.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=column-map]")), Wait);
        Assert.Equal(DmsFileSpecs.Customers.Fields.Count, page.FindAll("[data-testid=column-map] tbody tr").Count);
        Assert.Equal("KUNDENNR", page.Find("tr[data-field='customer_id'] input").GetAttribute("value"));
        Assert.Equal("NAME", page.Find("tr[data-field='last_name'] input").GetAttribute("value"));
        Assert.Contains("*", page.Find("tr[data-field='customer_id']").TextContent, StringComparison.Ordinal);
        Assert.Equal("dd.MM.yyyy", page.Find("[data-testid=profile-date-format] input, input[data-testid=profile-date-format]").GetAttribute("value"));
    }

    [Fact]
    public async Task Editor_NewProfileWithProblems_SaveShowsEveryMessageAndStoresNothing()
    {
        var page = context.Render<ImportProfileEditor>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=column-map]")), Wait);
        page.Find("[data-testid=profile-date-format] input, input[data-testid=profile-date-format]").Change("dd/dd/yyyy");
        Source(page, "email", "MAIL");

        page.Find("[data-testid=save-profile]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=profile-problem]")), Wait);
        var problems = page.FindAll("[data-testid=profile-problem]").Select(p => p.TextContent).ToList();
        Assert.Contains("The profile needs a name.", problems);
        Assert.Contains("The profile needs the DMS provider's name.", problems);
        Assert.Contains("The required field customer_id is not mapped to a column.", problems);
        Assert.Contains(problems, p => p.Contains("dd/dd/yyyy", StringComparison.Ordinal));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ImportProfiles.CountAsync());
    }

    [Fact]
    public async Task Editor_DuplicateName_IsAProblem()
    {
        var page = context.Render<ImportProfileEditor>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=column-map]")), Wait);
        page.Find("[data-testid=profile-name] input, input[data-testid=profile-name]").Change("Roadstar Customers");
        page.Find("[data-testid=profile-provider] input, input[data-testid=profile-provider]").Change("Roadstar");
        Source(page, "customer_id", "ID");

        page.Find("[data-testid=check-profile]").Click();

        page.WaitForAssertion(() => Assert.Contains("Another profile is already called \"Roadstar Customers\".",
            page.FindAll("[data-testid=profile-problem]").Select(p => p.TextContent)), Wait);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ImportProfiles.CountAsync());
    }

    [Fact]
    public async Task Editor_ChangedBySomeoneElseMeanwhile_SaveShowsConcurrencyMessageAndKeepsTheirChange()
    {
        var page = context.Render<ImportProfileEditor>(p => p.Add(c => c.Id, profile.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=column-map]")), Wait);
        await using (var db = database.CreateContext())
        {
            var stored = await db.ImportProfiles.SingleAsync(p => p.Id == profile.Id);
            var draft = ImportProfileDraft.From(stored);
            draft.FileNamePattern = "THEIRS_*.csv";
            await ImportProfileEditing.SaveAsync(db, org.Network.Id, draft);
        }

        page.Find("[data-testid=profile-pattern] input, input[data-testid=profile-pattern]").Change("MINE_*.csv");
        page.Find("[data-testid=save-profile]").Click();

        page.WaitForAssertion(() => Assert.Contains("changed by someone else", page.Find("[data-testid=profile-message]").TextContent, StringComparison.Ordinal), Wait);
        await using var check = database.CreateContext();
        var saved = await check.ImportProfiles.SingleAsync(p => p.Id == profile.Id);
        Assert.Equal(("THEIRS_*.csv", 1), (saved.FileNamePattern, saved.Version));
    }

    [Fact]
    public async Task Editor_ValidChange_SavedWithNewVersion()
    {
        var page = context.Render<ImportProfileEditor>(p => p.Add(c => c.Id, profile.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=column-map]")), Wait);
        Source(page, "first_name", "VORNAME");

        page.Find("[data-testid=save-profile]").Click();

        page.WaitForAssertion(() => Assert.Equal("Profile saved.", page.Find("[data-testid=profile-message]").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid=profile-problem]"));
        await using var db = database.CreateContext();
        var saved = await db.ImportProfiles.SingleAsync(p => p.Id == profile.Id);
        Assert.Equal(1, saved.Version);
        Assert.Contains(new ColumnMapping("first_name", "VORNAME"), ImportProfileRules.ReadColumnMap(saved.ColumnMap));
    }

    [Fact]
    public async Task Editing_TabDelimiter_StoredAsTheTabCharacterAndReadBack()
    {
        var draft = ImportProfileDraft.New(ImportFileType.Vehicles);
        draft.Name = "Tabbed Vehicles";
        draft.DmsProvider = "Tabbed";
        draft.Delimiter = "\t";
        draft.Quote = null;
        draft.Columns.Single(c => c.Field == "vehicle_id").Source = "VEHNO";

        long id;
        await using (var db = database.CreateContext())
        {
            (id, _) = await ImportProfileEditing.SaveAsync(db, org.Network.Id, draft);
        }

        await using var check = database.CreateContext();
        var loaded = await ImportProfileEditing.LoadAsync(check, id);
        Assert.Equal(("\t", (string?)null, "VEHNO"), (loaded!.Delimiter, loaded.Quote, loaded.Columns.Single(c => c.Field == "vehicle_id").Source));
    }
}
