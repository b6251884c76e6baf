using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Tests.Imports.Reading;

public sealed class SampleFilesTests
{
    public static TheoryData<string> Samples() => [.. ImportSamples.All.Select(s => s.FileName)];

    private static ImportSample Sample(string fileName) => ImportSamples.All.Single(s => s.FileName == fileName);

    private static ImportFormat FormatOf(ImportSample sample)
    {
        var profiles = DefaultImportProfiles.All.Select(d => d.ToProfile(1)).ToList();
        var lookup = ImportProfileCatalog.Resolve(profiles, sample.DmsProvider, null, null, sample.FileName);
        Assert.True(lookup.Found, lookup.Reason);
        Assert.Equal(sample.FileType, lookup.Profile!.FileType);
        return ImportFormat.FromProfile(lookup.Profile);
    }

    private static async Task<List<DmsRowResult>> ReadAsync(ImportSample sample)
    {
        await using var content = ImportSamples.Open(sample);
        return await ReadingHelpers.ReadAllAsync(content, FormatOf(sample), sample.FileType, sample.DmsProvider == DefaultImportProfiles.WerkstattPlus ? "DE" : "GB");
    }

    private static async Task<HashSet<string>> KeysAsync(string provider, ImportFileType type) =>
        (await ReadAsync(ImportSamples.For(provider, type))).Select(r => r.RecordKey!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Samples_CoverEveryTypeOfBothProviders()
    {
        foreach (var provider in DefaultImportProfiles.Providers)
        {
            Assert.Equal(Enum.GetValues<ImportFileType>().Order(), ImportSamples.Of(provider).Select(s => s.FileType).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_PassesTheStructureCheckWithItsRowCount(string fileName)
    {
        var sample = Sample(fileName);
        await using var content = ImportSamples.Open(sample);

        var result = await StructureCheck.RunAsync(content, FormatOf(sample), DmsFileSpecs.For(sample.FileType), null, CancellationToken.None);

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(sample.DataRows, result.DataRows);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_ReadsWithoutARejectAndUniqueKeys(string fileName)
    {
        var sample = Sample(fileName);

        var rows = await ReadAsync(sample);

        Assert.Equal(sample.DataRows, rows.Count);
        Assert.All(rows, row => Assert.True(row.IsValid, $"{fileName} line {row.LineNumber}: {ReadingHelpers.Problems(row)}"));
        Assert.Equal(rows.Count, rows.Select(r => r.RecordKey).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("Roadstar")]
    [InlineData("Werkstatt Plus")]
    public async Task Samples_ReferToEachOther(string provider)
    {
        var customers = await KeysAsync(provider, ImportFileType.Customers);
        var vehicles = await KeysAsync(provider, ImportFileType.Vehicles);
        var visits = await KeysAsync(provider, ImportFileType.ServiceHistory);

        foreach (var type in new[] { ImportFileType.Sales, ImportFileType.ServiceHistory, ImportFileType.FutureBookings, ImportFileType.WorkshopTransactions })
        {
            foreach (var row in await ReadAsync(ImportSamples.For(provider, type)))
            {
                Assert.True(!row.Values!.TryGetValue("customer_id", out var customer) || customers.Contains(customer), $"{type} line {row.LineNumber}: customer {customer}");
                Assert.True(!row.Values.TryGetValue("vehicle_id", out var vehicle) || vehicles.Contains(vehicle), $"{type} line {row.LineNumber}: vehicle {vehicle}");
                Assert.True(!row.Values.TryGetValue("tradein_vehicle_id", out var tradeIn) || vehicles.Contains(tradeIn), $"{type} line {row.LineNumber}: trade-in {tradeIn}");
            }
        }

        foreach (var type in new[] { ImportFileType.LabourLines, ImportFileType.PartLines, ImportFileType.WorkshopTransactions })
        {
            foreach (var row in await ReadAsync(ImportSamples.For(provider, type)))
            {
                Assert.True(!row.Values!.TryGetValue("visit_id", out var visit) || visits.Contains(visit), $"{type} line {row.LineNumber}: visit {visit}");
            }
        }
    }

    [Theory]
    [InlineData("Roadstar")]
    [InlineData("Werkstatt Plus")]
    public async Task Samples_VinsHaveCorrectCheckDigitsAndVehiclesOfSalesMatch(string provider)
    {
        foreach (var sample in ImportSamples.Of(provider))
        {
            foreach (var row in await ReadAsync(sample))
            {
                foreach (var field in new[] { "vin", "tradein_vin" })
                {
                    if (row.Values!.TryGetValue(field, out var vin))
                    {
                        Assert.Equal(Vin.ComputeCheckDigit(vin), vin[8]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("Roadstar")]
    [InlineData("Werkstatt Plus")]
    public async Task Samples_HoldTheAwkwardValuesAsText(string provider)
    {
        var all = new List<DmsRowResult>();
        foreach (var sample in ImportSamples.Of(provider))
        {
            all.AddRange(await ReadAsync(sample));
        }

        var values = all.SelectMany(r => r.Values!.Values).ToList();
        Assert.Contains("=SUM(A1)", values);
        Assert.Contains(values, v => v.StartsWith("<script>alert(\"xss\")</script>", StringComparison.Ordinal));
        Assert.Contains(values, v => v.Contains('\n', StringComparison.Ordinal) && v.Contains('"', StringComparison.Ordinal));
        var delimiter = provider == DefaultImportProfiles.Roadstar ? ',' : ';';
        Assert.Contains(values, v => v.Contains(delimiter, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WerkstattPlusSamples_AreWindows1252WithUmlautsAndCrLf()
    {
        foreach (var sample in ImportSamples.Of(DefaultImportProfiles.WerkstattPlus).Where(s => s.FileType != ImportFileType.WorkshopTransactions))
        {
            using var buffer = new MemoryStream();
            await using (var content = ImportSamples.Open(sample))
            {
                await content.CopyToAsync(buffer);
            }

            var bytes = buffer.ToArray();
            Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
            var text = ReadingHelpers.Windows1252Decode(bytes);
            Assert.True(text.IndexOfAny(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß']) >= 0, sample.FileName);
            Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        }

        var customers = await ReadAsync(ImportSamples.For(DefaultImportProfiles.WerkstattPlus, ImportFileType.Customers));
        Assert.Contains(customers, r => r.Values!.TryGetValue("last_name", out var name) && name is "Müller" or "Weiß" or "Groß" or "Köhler" or "Jäger");
    }
}
