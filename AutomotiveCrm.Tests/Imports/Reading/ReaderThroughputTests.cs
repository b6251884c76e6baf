using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Reading;
using Xunit.Abstractions;

namespace AutomotiveCrm.Tests.Imports.Reading;

/// <summary>
/// Reading and validating a realistic Roadstar customers file (20 columns, phones, e-mails, dates). The default size
/// keeps the suite quick; ACRM_READER_BENCH_ROWS=1000000 with a Release build measures the figure the import
/// benchmark depends on (see Imports/Docs/README.md).
/// </summary>
public sealed class ReaderThroughputTests(ITestOutputHelper output)
{
    private const string Header = "CUSTOMER_NO,BUYER_TYPE,TITLE,FIRST_NAME,MIDDLE_NAME,LAST_NAME,COMPANY_NAME,DATE_OF_BIRTH,ADDRESS_1," +
        "ADDRESS_2,TOWN,COUNTY,POSTCODE,COUNTRY,EMAIL,MOBILE,HOME_PHONE,WORK_PHONE,PAYMENT_METHOD,INSURED_ACCIDENTS\r\n";

    private static readonly string[] FirstNames = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah", "Grace"];
    private static readonly string[] LastNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "O'Neill"];
    private static readonly string[] Towns = ["Leeds", "York", "Reading", "Oxford", "Slough", "Swindon", "Harrogate", "Bradford"];

    internal static void WriteCustomers(Stream stream, int rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(Header);
        var random = new Random(42);
        for (var i = 1; i <= rows; i++)
        {
            var company = i % 10 == 0;
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(25_000));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"C{i:D8},{(company ? "Company" : "Person")},{(i % 2 == 0 ? "Mrs" : "Mr")},{first},,{last},{(company ? $"\"{last} Fleet, Ltd\"" : "")}," +
                $"{birth:yyyy-MM-dd},{random.Next(1, 300)} High Street,,{Towns[random.Next(Towns.Length)]},,LS{random.Next(1, 30)} {random.Next(1, 9)}AB,GB," +
                $"{first.ToLowerInvariant()}.{i}@example.com,07700 9{random.Next(100_000):D5},0113 496 {random.Next(10_000):D4},," +
                $"{(i % 3 == 0 ? "Finance" : "Cash")},{random.Next(3)}\r\n"));
        }
    }

    [Fact]
    public async Task ReadAndValidate_RealisticCustomers_AllValidAndMeasured()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("ACRM_READER_BENCH_ROWS"), CultureInfo.InvariantCulture, out var n) ? n : 50_000;
        var path = Path.Combine(Path.GetTempPath(), $"acrm-reader-bench-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var file = File.Create(path))
            {
                WriteCustomers(file, rows);
            }

            var format = ReadingHelpers.Roadstar(ImportFileType.Customers);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var read = 0;
            var invalid = 0;
            await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                await foreach (var row in DmsFileReader.ReadAsync(content, format, DmsFileSpecs.Customers, "GB", CancellationToken.None))
                {
                    read++;
                    if (!row.IsValid)
                    {
                        invalid++;
                        Assert.Fail($"line {row.LineNumber}: {ReadingHelpers.Problems(row)}");
                    }
                }
            }

            watch.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            // The machine is shared: the rate per CPU second (all threads of the process, GC included) is the steadier figure.
            output.WriteLine($"{read:N0} rows in {watch.Elapsed.TotalSeconds:F2} s: {read / watch.Elapsed.TotalSeconds:N0} rows/s, " +
                $"{read / cpuSeconds:N0} rows per CPU second ({new FileInfo(path).Length / 1e6:F1} MB)");
            Assert.Equal(rows, read);
            Assert.Equal(0, invalid);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
