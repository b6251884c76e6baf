using System.Diagnostics;
using System.Text.Json;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Exports;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>One benchmark's figures, printed as one JSON line.</summary>
public sealed record ExportBenchmarkResult(string Kind, int Count, int Pages, double Seconds, long PeakMb, long Bytes, string Writer)
{
    public string ToJson() => Kind == "labels"
        ? JsonSerializer.Serialize(new { count = Count, pages = Pages, seconds = Math.Round(Seconds, 3), peak_mb = PeakMb, bytes = Bytes, sheet = Writer })
        : JsonSerializer.Serialize(new { rows = Count, seconds = Math.Round(Seconds, 3), peak_mb = PeakMb, bytes = Bytes, writer = Writer });
}

/// <summary>
/// The export benchmarks (<c>bench labels</c>, <c>bench calllist</c>): deterministic rows generated in memory (the
/// writers are what is measured, not a database), then the writer end to end into a file: for labels the address
/// formatting per country, the sort by postcode and the PDF; for the call list the workbook, rows generated as they are
/// written so that the peak memory is the writer's own.
/// </summary>
public static class ExportBenchmark
{
    private static readonly (string Country, string[] Towns)[] Places =
    [
        ("GB", ["London", "Manchester", "Leeds", "Bristol", "York"]), ("DE", ["Berlin", "München", "Köln", "Hamburg"]),
        ("FR", ["Paris", "Lyon", "Marseille", "Saint-Étienne-du-Rouvray"]), ("NL", ["Amsterdam", "Utrecht", "Den Haag"]),
        ("US", ["Springfield", "Portland", "Austin"]), ("IT", ["Roma", "Milano", "Torino"]), ("ES", ["Madrid", "Sevilla", "Valencia"]),
    ];

    private static readonly string[] First = ["Alex", "Maria", "Jürgen", "Siobhan", "Émile", "Giulia", "Pieter", "José", "Olga", "Wei"];
    private static readonly string[] Last = ["Morgan", "Müller", "Dupont", "de Vries", "Rossi", "García", "Smith", "Okonkwo-Whitfield", "Ivanova"];
    private static readonly string[] Streets = ["High Street", "Hauptstraße", "rue de la République", "Keizersgracht", "Main St", "Via Roma", "Calle Mayor"];

    public static IReadOnlyList<PostalAddress> Addresses(int count, int seed = 42)
    {
        var random = new Random(seed);
        var list = new List<PostalAddress>(count);
        for (var i = 0; i < count; i++)
        {
            var (country, towns) = Places[random.Next(Places.Length)];
            var company = random.Next(10) == 0;
            var name = $"{First[random.Next(First.Length)]} {Last[random.Next(Last.Length)]}";
            // Every 50th name is long enough to need shrinking or wrapping.
            if (i % 50 == 0)
            {
                name += " Featherstonehaugh-Cholmondeley-Marjoribanks";
            }

            list.Add(new PostalAddress(name, company ? "Northgate Fleet Services Limited" : null,
                $"{random.Next(1, 400)} {Streets[random.Next(Streets.Length)]}", random.Next(4) == 0 ? "Flat 2" : null,
                towns[random.Next(towns.Length)], country == "IT" ? "RM" : country == "US" ? "IL" : null,
                Postcode(country, random), country));
        }

        return list;
    }

    public static ExportBenchmarkResult Labels(int count, LabelSheet sheet, string path, string senderCountry = "GB")
    {
        var addresses = Addresses(count);
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var labels = addresses
            .Select((a, i) => new LabelRow(i + 1, a, AddressFormat.Lines(a, senderCountry)))
            .OrderBy(l => l.Address.CountryCode.Equals(senderCountry, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(l => l.Address.CountryCode, StringComparer.Ordinal)
            .ThenBy(l => AddressFormat.PostcodeSortKey(l.Address.Postcode), StringComparer.Ordinal)
            .ToList();
        int pages;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            pages = LabelPdfWriter.Write(labels, LabelSheetSpec.For(sheet).Grid()!, file, "Benchmark labels", DateTime.UtcNow);
        }

        clock.Stop();
        process.Refresh();
        return new ExportBenchmarkResult("labels", labels.Count, pages, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024 * 1024),
            new FileInfo(path).Length, sheet.ToString());
    }

    public static async Task<ExportBenchmarkResult> CallListAsync(int rows, bool styled, string path, CancellationToken cancellationToken = default)
    {
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        int count;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
        {
            if (styled)
            {
                var list = CallRows(rows).ToList();
                CallListWorkbook.Write(list, file, "Benchmark call list");
                count = list.Count;
            }
            else
            {
                count = await CallListStreamWriter.WriteAsync(Async(CallRows(rows)), file, "Benchmark call list", cancellationToken);
            }
        }

        clock.Stop();
        process.Refresh();
        return new ExportBenchmarkResult("calllist", count, 0, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024 * 1024),
            new FileInfo(path).Length, styled ? "ClosedXML" : "OpenXmlWriter");
    }

    public static IEnumerable<CallListRow> CallRows(int count, int seed = 7)
    {
        var random = new Random(seed);
        string[] makes = ["Alder Aurora", "Alder Kestrel", "Birch Tundra", "Birch Meadow"];
        string[] dealers = ["Northgate Leeds", "Northgate York", "Southbank Croydon", "Southbank Bromley"];
        var today = new DateOnly(2026, 11, 1);
        for (var i = 0; i < count; i++)
        {
            var phone = $"+44 7700 9{random.Next(0, 99999):D5} (mobile)";
            var phones = random.Next(3) == 0 ? phone + $", +44 113 496 {random.Next(0, 9999):D4} (home)" : phone;
            yield return new CallListRow(i + 1, $"{First[random.Next(First.Length)]} {Last[random.Next(Last.Length)]}", phones,
                $"{makes[random.Next(makes.Length)]} AB{random.Next(10, 99)} CDE",
                random.Next(5) == 0 ? null : today.AddDays(-random.Next(1, 1500)), dealers[random.Next(dealers.Length)], random.Next(4) != 0);
        }
    }

    private static string Postcode(string country, Random random) => country switch
    {
        "GB" => $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(1, 20)} {random.Next(1, 9)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}",
        "NL" => $"{random.Next(1000, 9999)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}",
        "US" => $"{random.Next(10000, 99999)}",
        _ => $"{random.Next(10000, 99999)}",
    };

    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask;
    }
}
