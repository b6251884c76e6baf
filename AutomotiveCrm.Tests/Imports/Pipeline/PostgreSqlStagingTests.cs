using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

/// <summary>The PostgreSQL path of the pipeline: staging, rejects and duplicates written with binary COPY.</summary>
[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlStagingTests(PostgreSqlServer server) : IAsyncLifetime
{
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync(await server.CreateDatabaseAsync());

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Import_RowsRejectsAndRepeats_StagedByCopyAndMerged()
    {
        var rows = Enumerable.Range(1, 9000).Select(i => RoadstarCustomers.Row($"C{i:D6}", $"Surname{i}", email: $"p{i}@example.com"))
            .Append(RoadstarCustomers.Row("C000007", "Repeat"))
            .Append(RoadstarCustomers.Row("C009999", "Bad", dateOfBirth: "yesterday"))
            .Append("C\u00e9\u00e8,Person,Mr,Ren\u00e9,,M\u00fcller-\u00d8stergaard,,,1 Rue,,Paris,,75001,FR,,,,,,")
            .ToArray();

        var done = await harness.ImportAsync(RoadstarCustomers.File(rows));

        Assert.True(done.Status == ImportStatus.Completed, done.StatusReason);
        Assert.Equal((9003L, 1L, 1L, 9001L), (done.RowsRead, done.RowsRejected, done.RowsDuplicate, done.RowsInserted));
        await using var db = harness.NewContext();
        var duplicate = await db.ImportDuplicates.SingleAsync(d => d.ImportFileId == done.Id);
        Assert.Equal((9002L, "C000007", ImportDuplicateKind.RepeatedInFile, 8L), (duplicate.LineNumber, duplicate.RecordKey, duplicate.Kind, duplicate.FirstLineNumber!.Value));
        var reject = await db.ImportRejects.FirstAsync(r => r.ImportFileId == done.Id);
        Assert.Equal((9003L, "DATE_OF_BIRTH"), (reject.LineNumber, reject.Column));
        Assert.Equal("M\u00fcller-\u00d8stergaard", (await db.Customers.SingleAsync(c => c.FirstName == "Ren\u00e9")).LastName);
        Assert.Equal(0, await db.ImportStaging.CountAsync());
        Assert.Equal(9001, await db.Customers.CountAsync(c => c.SourceFileId == done.Id));
    }

    [Fact]
    public async Task Import_SameFileTwice_RefusedAndNothingChanges()
    {
        var content = RoadstarCustomers.Many(50);
        await harness.ImportAsync(content);
        var before = await harness.TableCountsAsync();

        var again = await harness.ImportAsync(content, "CUSTOMERS_again.csv");

        Assert.Equal(ImportStatus.Refused, again.Status);
        Assert.Equal(before, await harness.TableCountsAsync());
    }
}
