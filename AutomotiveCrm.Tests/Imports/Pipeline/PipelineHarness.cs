using System.Text;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

/// <summary>System contexts over a test database, as the app's <see cref="ISystemDbContextFactory"/> gives them.</summary>
internal sealed class TestSystemContexts(TestDatabase database, params IInterceptor[] interceptors) : ISystemDbContextFactory
{
    public CrmDbContext CreateDbContext(AuditSource source = AuditSource.System, string? correlationId = null)
    {
        var context = database.CreateContext(null, interceptors);
        context.Actor = new AuditActor(null, "system", source, correlationId);
        return context;
    }
}

/// <summary>Records what the pipeline told the notifier.</summary>
internal sealed class RecordingNotifier : IImportNotifier
{
    public List<(ImportFile File, string DealerCode)> Calls { get; } = [];

    public Task FileFailedAsync(ImportFile file, string dealerCode, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((file, dealerCode));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A database with the standard organisation whose dealers use the Roadstar (N1, S1) and Werkstatt Plus (N2)
/// providers, the default profiles, an import store in a temporary folder, and the pipeline's intake and processor.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private PipelineHarness(TestDatabase database, TestOrganisation organisation, string folder, IInterceptor[] interceptors)
    {
        Database = database;
        Organisation = organisation;
        Folder = folder;
        Settings = new ImportSettings
        {
            StorePath = Path.Combine(folder, "store"),
            InboxPath = Path.Combine(folder, "inbox"),
            StableSeconds = 5,
        };
        Contexts = new TestSystemContexts(database, interceptors);
        Intake = new ImportIntake(Contexts, Settings, database.Clock, Notifier);
        Processor = new ImportProcessor(Contexts, Settings, database.Clock, Notifier);
    }

    public TestDatabase Database { get; }
    public TestOrganisation Organisation { get; }
    public string Folder { get; }
    public ImportSettings Settings { get; }
    public TestSystemContexts Contexts { get; }
    public RecordingNotifier Notifier { get; } = new();
    public ImportIntake Intake { get; }
    public ImportProcessor Processor { get; }

    public string Roadstar => Organisation.Dealer.Code;
    public string Werkstatt => Organisation.SecondDealer.Code;

    public static async Task<PipelineHarness> CreateAsync(TestDatabase? database = null, params IInterceptor[] interceptors)
    {
        database ??= new SqliteTestDatabase();
        TestOrganisation organisation;
        await using (var db = database.CreateContext())
        {
            organisation = await new OrganisationBuilder().SaveAsync(db);
            await db.Dealers.Where(d => d.Id == organisation.Dealer.Id || d.Id == organisation.OtherGroupDealer.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DmsProvider, DefaultImportProfiles.Roadstar));
            await db.Dealers.Where(d => d.Id == organisation.SecondDealer.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DmsProvider, DefaultImportProfiles.WerkstattPlus));
            await ImportProfileCatalog.EnsureDefaultsAsync(db, organisation.Network.Id, CancellationToken.None);
        }

        return new PipelineHarness(database, organisation, Directory.CreateTempSubdirectory("acrm-imports-").FullName, interceptors);
    }

    public CrmDbContext NewContext() => Database.CreateContext();

    public Task<ImportFile> ReceiveAsync(string content, string name = "CUSTOMERS_20260302.csv", string? dealer = null,
        ImportFileType? type = ImportFileType.Customers, string? profile = null, ImportChannel channel = ImportChannel.Upload) =>
        ReceiveAsync(Encoding.UTF8.GetBytes(content), name, dealer, type, profile, channel);

    public async Task<ImportFile> ReceiveAsync(byte[] content, string name, string? dealer = null,
        ImportFileType? type = ImportFileType.Customers, string? profile = null, ImportChannel channel = ImportChannel.Upload)
    {
        using var stream = new MemoryStream(content);
        return await Intake.ReceiveAsync(new ImportRequest(dealer ?? Roadstar, type, profile, name, channel, "tester@example.com"), stream, CancellationToken.None);
    }

    /// <summary>Receives and processes a file.</summary>
    public async Task<ImportFile> ImportAsync(string content, string name = "CUSTOMERS_20260302.csv", string? dealer = null,
        ImportFileType? type = ImportFileType.Customers)
    {
        var file = await ReceiveAsync(content, name, dealer, type);
        return ImportProcessor.IsFinal(file.Status) ? file : await Processor.ProcessAsync(file.Id, null, CancellationToken.None);
    }

    public async Task<ImportFile> FileAsync(long id)
    {
        await using var db = NewContext();
        return await db.ImportFiles.AsNoTracking().SingleAsync(f => f.Id == id);
    }

    /// <summary>Row counts of the tables an import writes, to compare two states of the database.</summary>
    public async Task<Dictionary<string, int>> TableCountsAsync()
    {
        await using var db = NewContext();
        return new Dictionary<string, int>
        {
            ["Customers"] = await db.Customers.CountAsync(),
            ["CustomerEmails"] = await db.CustomerEmails.CountAsync(),
            ["CustomerPhones"] = await db.CustomerPhones.CountAsync(),
            ["CustomerAddresses"] = await db.CustomerAddresses.CountAsync(),
            ["Vehicles"] = await db.Vehicles.CountAsync(),
            ["Relationships"] = await db.Relationships.CountAsync(),
            ["MileageReadings"] = await db.MileageReadings.CountAsync(),
            ["ServiceVisits"] = await db.ServiceVisits.CountAsync(),
            ["DmsRecords"] = await db.DmsRecords.CountAsync(),
            ["ImportStaging"] = await db.ImportStaging.CountAsync(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task: the OS temp cleaner gets it.
        }
    }
}

/// <summary>Small Roadstar customer files.</summary>
internal static class RoadstarCustomers
{
    public const string Header =
        "CUSTOMER_NO,BUYER_TYPE,TITLE,FIRST_NAME,MIDDLE_NAME,LAST_NAME,COMPANY_NAME,DATE_OF_BIRTH,ADDRESS_1,ADDRESS_2,TOWN,COUNTY,POSTCODE,COUNTRY,EMAIL,MOBILE,HOME_PHONE,WORK_PHONE,PAYMENT_METHOD,INSURED_ACCIDENTS";

    public static string Row(string number, string lastName, string firstName = "Anna", string email = "", string dateOfBirth = "1980-05-17") =>
        $"{number},Person,Mrs,{firstName},,{lastName},,{dateOfBirth},12 High Street,,Leeds,West Yorkshire,LS1 4AB,GB,{email},07700 900123,,,Cash,0";

    public static string File(params string[] rows) => Header + "\r\n" + string.Join("\r\n", rows) + "\r\n";

    public static string Many(int count, int offset = 0) =>
        File(Enumerable.Range(offset + 1, count).Select(i => Row($"C{i:D6}", $"Surname{i}", email: $"person{i}@example.com")).ToArray());
}
