using System.Text.Json;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Dedup.Runs;

/// <summary>
/// <c>dedup run --level wholesale</c> on a real SQLite database: one person known to two dealer groups ends up on one
/// wholesale record composed by the survivorship rules, and that record follows later retail edits.
/// </summary>
public sealed class WholesaleRunTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crm-dedup-wholesale-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private DatabaseSettings _settings = new();
    private long[] _groups = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        long network;
        (_settings, network, _groups) = await DedupBulkWriter.CreateDatabaseAsync(Path.Combine(_folder, "wholesale.db"), 2, CancellationToken.None);
        // Other people around them, planted duplicates included, so the weights are trained on a realistic population.
        var generator = new DedupBenchGenerator(11, _groups.Length);
        await DedupBulkWriter.WriteAsync(_settings, network, _groups, generator.Generate(1200, 0.15), "GB", pending: false, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private CrmDbContext Context() => CrmDatabase.CreateContext(_settings, _clock);

    [Fact]
    public async Task WholesaleRun_LinksOnePersonOfTwoGroups_ComposesWithSources_AndFollowsARetailEdit()
    {
        long north, south;
        await using (var db = Context())
        {
            var person = new CustomerBuilder().Named("Margaret", "Thornton").WithTitle("Mrs").BornOn(new DateOnly(1979, 4, 12))
                .WithPhone("07700 900123").WithAddress("14 Larch Close", "Harrogate", "HG1 4QT", "GB");
            north = (await person.InGroup(_groups[0]).WithEmail("margaret.thornton@example.com").SaveAsync(db)).Id;
            _clock.Advance(TimeSpan.FromMinutes(5));
            // The second group's record is newer and has no e-mail.
            south = (await new CustomerBuilder().Named("Margaret", "Thornton").WithTitle("Mrs").BornOn(new DateOnly(1979, 4, 12))
                .WithPhone("07700 900123").WithAddress("14 Larch Close", "Harrogate", "HG1 4QT", "GB").InGroup(_groups[1]).SaveAsync(db)).Id;
        }

        long wholesaleId;
        await using (var db = Context())
        {
            var before = await db.Customers.Where(c => c.Id == north || c.Id == south).Select(c => c.WholesaleCustomerId).Distinct().CountAsync();
            Assert.Equal(2, before);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["dedup", "run", "--level", "wholesale", "--json", $"--ConnectionStrings:Crm={_settings.ConnectionString}"], stdout, stderr);

        Assert.True(code == CommandLine.Ok, stderr.ToString());
        using (var json = JsonDocument.Parse(stdout.ToString().TrimEnd().Split('\n')[^1]))
        {
            Assert.Equal("wholesale", json.RootElement.GetProperty("level").GetString());
            var run = json.RootElement.GetProperty("runs").EnumerateArray().Single();
            Assert.Equal("Completed", run.GetProperty("status").GetString());
            Assert.True(run.GetProperty("auto_merged").GetInt32() >= 1);
        }

        await using (var db = Context())
        {
            var records = await db.Customers.AsNoTracking().Where(c => c.Id == north || c.Id == south).ToListAsync();
            // A wholesale link keeps both retail records live in their groups.
            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.Null(r.MergedIntoId));
            wholesaleId = Assert.Single(records.Select(r => r.WholesaleCustomerId).Distinct());
            var wholesale = await db.WholesaleCustomers.AsNoTracking().SingleAsync(w => w.Id == wholesaleId);
            Assert.Equal(2, wholesale.RetailRecordCount);
            Assert.Equal(("Margaret", "Thornton", new DateOnly(1979, 4, 12), "margaret.thornton@example.com", "+447700900123"),
                (wholesale.FirstName, wholesale.LastName, wholesale.DateOfBirth, wholesale.Email, wholesale.Phone));
            // Most recent non-empty value per field: the newer south record, except the e-mail only north has.
            Assert.Equal(south, wholesale.FieldSources[WholesaleFields.FirstName]);
            Assert.Equal(south, wholesale.FieldSources[WholesaleFields.Phone]);
            Assert.Equal(north, wholesale.FieldSources[WholesaleFields.Email]);
            var link = await db.RecordMerges.AsNoTracking().SingleAsync(m => m.Level == DedupLevel.Wholesale
                && ((m.SurvivorId == north && m.MergedId == south) || (m.SurvivorId == south && m.MergedId == north)));
            Assert.True(link.Automatic);
            Assert.Null(link.DealerGroupId);
        }

        // A desk edit of the north record through the ordinary save: the shared wholesale record follows at once.
        _clock.Advance(TimeSpan.FromMinutes(10));
        await using (var db = Context())
        {
            var record = await db.Customers.Include(c => c.Emails).SingleAsync(c => c.Id == north);
            record.FirstName = "Maggie";
            var email = record.Emails.Single();
            (email.Address, email.NormalisedAddress) = ("Maggie.Thornton@example.org", "maggie.thornton@example.org");
            await db.SaveChangesAsync();
        }

        await using (var db = Context())
        {
            var wholesale = await db.WholesaleCustomers.AsNoTracking().SingleAsync(w => w.Id == wholesaleId);
            Assert.Equal(2, wholesale.RetailRecordCount);
            Assert.Equal(("Maggie", "maggie.thornton@example.org"), (wholesale.FirstName, wholesale.Email?.ToLowerInvariant()));
            Assert.Equal(north, wholesale.FieldSources[WholesaleFields.FirstName]);
            Assert.Equal(north, wholesale.FieldSources[WholesaleFields.Email]);
            Assert.Equal(wholesaleId, await db.Customers.Where(c => c.Id == south).Select(c => c.WholesaleCustomerId).SingleAsync());
        }
    }
}
