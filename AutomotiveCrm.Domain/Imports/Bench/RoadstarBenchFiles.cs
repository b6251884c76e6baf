using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.DemoData;

namespace AutomotiveCrm.Domain.Imports.Bench;

/// <summary>
/// Writes large, deterministic Roadstar files (the UK provider of the default profiles: comma-separated, UTF-8,
/// yyyy-MM-dd) for the import benchmark and the crash tests: a customers file and a service-history file whose
/// visits refer to those customers and their vehicles (with VINs). Rows are produced one at a time straight into
/// the file, so any size can be generated in constant memory; the same seed and size give the same bytes.
/// </summary>
public static class RoadstarBenchFiles
{
    public const string CustomersHeader =
        "CUSTOMER_NO,BUYER_TYPE,TITLE,FIRST_NAME,MIDDLE_NAME,LAST_NAME,COMPANY_NAME,DATE_OF_BIRTH,ADDRESS_1,ADDRESS_2,TOWN,COUNTY,POSTCODE,COUNTRY,EMAIL,MOBILE,HOME_PHONE,WORK_PHONE,PAYMENT_METHOD,INSURED_ACCIDENTS";

    public const string ServiceHistoryHeader =
        "JOB_NO,CUSTOMER_NO,VEHICLE_NO,VIN,REG_NO,MAKE,MODEL,JOB_DATE,MILEAGE,MILEAGE_UNIT,WORK_TYPE,DESCRIPTION,TOTAL";

    private const string PlantLetters = "ABCDEFGHJKLMNPRSTUVW";
    private const string PlateLetters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
    private static readonly string[] PaymentMethods = ["Cash", "Finance", "Lease", "TradeInDeal"];
    private static readonly string[] WorkTypes = ["Service", "Service", "Service", "MOT", "Repair", "Warranty", "Recall", "Tyres"];
    private static readonly string[] Descriptions =
    [
        "Annual service, oil and filter change", "Interim service", "MOT test and minor adjustments", "Front brake pads and discs replaced",
        "Replaced wiper blades; checked tyres", "Diagnostic check: engine management light", "Recall: software update to the engine control unit",
        "Two front tyres 205/55 R16", "Air conditioning re-gas", "Clutch replacement",
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The DMS customer number of customer <paramref name="index"/> (0-based).</summary>
    public static string CustomerNumber(long index) => string.Create(CultureInfo.InvariantCulture, $"C{index + 1:D8}");

    /// <summary>Writes <paramref name="rows"/> customers (plus the header) to <paramref name="path"/>; returns the bytes written.</summary>
    public static async Task<long> WriteCustomersAsync(string path, int rows, int seed = 2026, CancellationToken cancellationToken = default)
    {
        await using var writer = Open(path);
        await writer.WriteLineAsync(CustomersHeader);
        var line = new StringBuilder(512);
        for (var i = 0; i < rows; i++)
        {
            var rng = DemoRandom.For(seed, i, purpose: 1);
            line.Clear();
            AppendCustomer(line, i, ref rng);
            await writer.WriteLineAsync(line, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
        return writer.BaseStream.Length;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> workshop visits of the first <paramref name="customers"/> customers of
    /// <see cref="WriteCustomersAsync"/> (one vehicle each, visited in date order with rising mileage).
    /// </summary>
    public static async Task<long> WriteServiceHistoryAsync(string path, int rows, int customers, int seed = 2026, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        await using var writer = Open(path);
        await writer.WriteLineAsync(ServiceHistoryHeader);
        var line = new StringBuilder(512);
        var firstDay = new DateOnly(2021, 1, 4);
        for (var i = 0; i < rows; i++)
        {
            var rng = DemoRandom.For(seed, i, purpose: 2);
            var customer = (long)Scramble.Into((ulong)i, (ulong)customers);
            // Visits in date order through the file: about 5 years whatever the size.
            var day = firstDay.AddDays((int)((long)i * 1826 / Math.Max(rows, 1)));
            line.Clear();
            AppendVisit(line, i, customer, day, ref rng);
            await writer.WriteLineAsync(line, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
        return writer.BaseStream.Length;
    }

    private static StreamWriter Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.SequentialScan);
        return new StreamWriter(stream, Utf8, 1 << 16) { NewLine = "\r\n" };
    }

    private static void AppendCustomer(StringBuilder line, long index, ref DemoRandom rng)
    {
        var inv = CultureInfo.InvariantCulture;
        var company = rng.Chance(0.06);
        var female = rng.Chance(0.5);
        var first = female ? rng.Pick(DemoVocabulary.FemaleFirstNames) : rng.Pick(DemoVocabulary.MaleFirstNames);
        var last = rng.Pick(DemoVocabulary.LastNames);
        var town = rng.Pick(rng.Pick(DemoVocabulary.TownsByRegion));
        line.Append(CustomerNumber(index)).Append(',');
        line.Append(company ? "Company" : "Person").Append(',');
        line.Append(company ? "" : rng.Pick(female ? DemoVocabulary.FemaleTitles : DemoVocabulary.MaleTitles)).Append(',');
        line.Append(first).Append(',');
        line.Append(rng.Chance(0.15) ? rng.Pick(DemoVocabulary.MiddleNames) : "").Append(',');
        line.Append(last).Append(',');
        if (company)
        {
            // Company names with a comma are quoted, as the provider writes them.
            line.Append('"').Append(last).Append(", ").Append(town.Name).Append(" Ltd\"");
        }

        line.Append(',');
        if (!company && rng.Chance(0.7))
        {
            line.Append(new DateOnly(1940, 1, 1).AddDays(rng.Next(365 * 62)).ToString("yyyy-MM-dd", inv));
        }

        line.Append(',');
        line.Append(inv, $"{1 + rng.Next(240)} {rng.Pick(DemoVocabulary.Streets)}").Append(',');
        line.Append(rng.Chance(0.1) ? rng.Pick(DemoVocabulary.Line2Prefixes) : "").Append(',');
        line.Append(town.Name).Append(',');
        line.Append(town.Region).Append(',');
        line.Append(inv, $"{town.PostcodeArea}{1 + rng.Next(town.MaxDistrict)} {rng.Next(10)}{Letter(ref rng)}{Letter(ref rng)}").Append(',');
        line.Append("GB,");
        if (rng.Chance(0.85))
        {
            line.Append(inv, $"{first.ToLowerInvariant()}.{last.ToLowerInvariant().Replace(' ', '-')}{index}@{rng.Pick(DemoVocabulary.EmailDomains)}");
        }

        line.Append(',');
        // National format, as a UK DMS prints them; numbers rise with the customer number (unique).
        if (rng.Chance(0.8))
        {
            var mobile = 7_700_000_000L + index * 7 + rng.Next(7);
            line.Append(inv, $"0{mobile / 1_000_000:D4} {mobile % 1_000_000:D6}");
        }

        line.Append(',');
        if (rng.Chance(0.25))
        {
            line.Append(Landline(town, index * 2 + rng.Next(2)));
        }

        line.Append(',');
        if (company && rng.Chance(0.5))
        {
            line.Append(Landline(town, index * 2 + 1));
        }

        line.Append(',');
        line.Append(rng.Chance(0.6) ? rng.Pick(PaymentMethods) : "").Append(',');
        line.Append(rng.Chance(0.3) ? rng.Next(4).ToString(inv) : "");
    }

    private static void AppendVisit(StringBuilder line, long index, long customer, DateOnly day, ref DemoRandom rng)
    {
        var inv = CultureInfo.InvariantCulture;
        // The customer's one vehicle: fixed per customer, whatever the visit.
        var car = DemoRandom.For(7, (int)customer, purpose: 3);
        var make = DemoVocabulary.Makes[car.Next(DemoVocabulary.Makes.Length)];
        var model = car.Pick(make.Models);
        var kmPerDay = 20 + car.Next(45);
        line.Append(inv, $"J{index + 1:D9}").Append(',');
        line.Append(CustomerNumber(customer)).Append(',');
        line.Append(inv, $"V{customer + 1:D8}").Append(',');
        line.Append(Vin(make, customer, ref car)).Append(',');
        line.Append(Plate(customer)).Append(',');
        line.Append(make.Name).Append(',');
        line.Append(model.Name).Append(',');
        line.Append(day.ToString("yyyy-MM-dd", inv)).Append(',');
        line.Append(((long)(day.DayNumber - new DateOnly(2018, 1, 1).DayNumber) * kmPerDay).ToString(inv)).Append(',');
        line.Append("Kilometres,");
        line.Append(rng.Pick(WorkTypes)).Append(',');
        // Descriptions may hold commas: quoted, as the provider writes free text.
        line.Append('"').Append(rng.Pick(Descriptions)).Append("\",");
        line.Append((80 + rng.Next(90_000) / 100.0).ToString("0.00", inv));
    }

    /// <summary>A European-style VIN (no check digit required) whose serial encodes the customer: unique per vehicle.</summary>
    private static string Vin(DemoMake make, long customer, ref DemoRandom car)
    {
        Span<char> chars = stackalloc char[17];
        var wmi = make.Wmis.FirstOrDefault(w => w[0] is < '1' or > '5') ?? "SAR";
        wmi.CopyTo(chars);
        for (var i = 3; i < 9; i++)
        {
            chars[i] = DemoVocabulary.VinCharacters[car.Next(DemoVocabulary.VinCharacters.Length)];
        }

        chars[9] = DemoVocabulary.ModelYearCode(2015 + car.Next(10));
        var serial = customer % 20_000_000;
        chars[10] = PlantLetters[(int)(serial / 1_000_000)];
        var digits = serial % 1_000_000;
        for (var i = 16; i >= 11; i--)
        {
            chars[i] = (char)('0' + (int)(digits % 10));
            digits /= 10;
        }

        return new string(chars);
    }

    /// <summary>A GB-format plate "AB12CDE", unique per customer up to 24^5 * 100.</summary>
    private static string Plate(long customer)
    {
        Span<char> chars = stackalloc char[7];
        var n = customer;
        chars[2] = (char)('0' + (int)(n % 10));
        n /= 10;
        chars[3] = (char)('0' + (int)(n % 10));
        n /= 10;
        foreach (var i in new[] { 0, 1, 4, 5, 6 })
        {
            chars[i] = PlateLetters[(int)(n % PlateLetters.Length)];
            n /= PlateLetters.Length;
        }

        return new string(chars);
    }

    /// <summary>A landline of the town's area code: ten national digits after the 0, the subscriber part starting 2-9.</summary>
    private static string Landline(DemoTown town, long number)
    {
        long unit = 1;
        for (var i = 1; i < 10 - town.DialCode.Length; i++)
        {
            unit *= 10;
        }

        return string.Create(CultureInfo.InvariantCulture, $"0{town.DialCode} {2 * unit + number % (8 * unit)}");
    }

    private static char Letter(ref DemoRandom rng) => DemoVocabulary.PostcodeInwardLetters[rng.Next(DemoVocabulary.PostcodeInwardLetters.Length)];
}
