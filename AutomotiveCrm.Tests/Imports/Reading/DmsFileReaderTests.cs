using System.Text;
using AutomotiveCrm.Domain.Common;
using Phones = AutomotiveCrm.Domain.Common.PhoneNumbers;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Reading;
using static AutomotiveCrm.Tests.Imports.Reading.ReadingHelpers;

namespace AutomotiveCrm.Tests.Imports.Reading;

public sealed class DmsFileReaderTests
{
    private const string RoadstarCustomerHeader =
        "CUSTOMER_NO,BUYER_TYPE,TITLE,FIRST_NAME,LAST_NAME,COMPANY_NAME,DATE_OF_BIRTH,COUNTRY,EMAIL,MOBILE,INSURED_ACCIDENTS\n";

    private static async Task<DmsRowResult> RoadstarCustomerAsync(string row, string country = "GB")
    {
        var rows = await ReadAllAsync(Utf8(RoadstarCustomerHeader + row + "\n"), Roadstar(ImportFileType.Customers), ImportFileType.Customers, country);
        return Assert.Single(rows);
    }

    [Fact]
    public async Task Read_ValidCustomer_NormalisesEveryKind()
    {
        var row = await RoadstarCustomerAsync("  C100 ,private,Mrs,Ann,Smith,,1980-02-29,uk, ann.smith@Example.COM ,07700 900123,0");

        Assert.True(row.IsValid, Problems(row));
        Assert.Equal(2, row.LineNumber);
        Assert.Equal("C100", row.RecordKey);
        Assert.Equal("Person", row.Values!["buyer_type"]);
        Assert.Equal("1980-02-29", row.Values["date_of_birth"]);
        Assert.Equal("GB", row.Values["country"]);
        Assert.Equal("ann.smith@Example.COM", row.Values["email"]);
        Assert.Equal("+447700900123", row.Values["phone_mobile"]);
        Assert.Equal("0", row.Values["insured_accidents"]);
        Assert.False(row.Values.ContainsKey("company_name"));
        Assert.Matches("^[0-9a-f]{32}$", row.Hash);
    }

    [Fact]
    public async Task Read_InvalidDate_NamesColumnValueAndFormat()
    {
        var row = await RoadstarCustomerAsync("C1,,Mr,Bob,Jones,,1980-02-31,GB,,,");

        var problem = Assert.Single(row.Problems);
        Assert.Equal("DATE_OF_BIRTH", problem.Column);
        Assert.Equal("DATE_OF_BIRTH \"1980-02-31\" is not a valid date in the format yyyy-MM-dd.", problem.Reason);
        Assert.Null(row.Values);
        Assert.Null(row.Hash);
        Assert.Equal("C1", row.RecordKey);
    }

    [Fact]
    public async Task Read_WerkstattPlusDate_NamesGermanHeaderAndField()
    {
        var header = "KUNDENNR;NACHNAME;GEBURTSDATUM\r\n";
        var content = new MemoryStream(Windows1252(header + "K1;Müller;31.02.1980\r\n"));

        var row = Assert.Single(await ReadAllAsync(content, WerkstattPlus(ImportFileType.Customers), ImportFileType.Customers, "DE"));

        var problem = Assert.Single(row.Problems);
        Assert.Equal("GEBURTSDATUM", problem.Column);
        Assert.Equal("GEBURTSDATUM (date_of_birth) \"31.02.1980\" is not a valid date in the format dd.MM.yyyy.", problem.Reason);
    }

    [Fact]
    public async Task Read_MultipleProblems_AreAllListed()
    {
        var row = await RoadstarCustomerAsync("C2,martian,Mr,Bob,Jones,,yesterday,Atlantis,bob@,12,many");

        Assert.Equal(["BUYER_TYPE", "DATE_OF_BIRTH", "COUNTRY", "EMAIL", "MOBILE", "INSURED_ACCIDENTS"], row.Problems.Select(p => p.Column));
        Assert.Contains(row.Problems, p => p.Reason == "BUYER_TYPE \"martian\" is not one of Person, Company.");
        Assert.Contains(row.Problems, p => p.Reason == "MOBILE (phone_mobile) \"12\" is not a valid phone number for GB.");
    }

    [Fact]
    public async Task Read_PhoneUsesTheRowsCountryElseTheDefault()
    {
        var german = await RoadstarCustomerAsync("C3,,Herr,Jörg,Weiß,,,DE,,0151 2345 6789,");
        var defaulted = await RoadstarCustomerAsync("C4,,Herr,Jörg,Weiß,,,,,0151 2345 6789,", country: "DE");
        var international = await RoadstarCustomerAsync("C5,,Mr,Al,Bee,,,GB,,+49 151 23456789,");

        Assert.Equal("+4915123456789", german.Values!["phone_mobile"]);
        Assert.Equal("+4915123456789", defaulted.Values!["phone_mobile"]);
        Assert.Equal("+4915123456789", international.Values!["phone_mobile"]);
    }

    [Fact]
    public async Task Read_ManyPhonesOfTheSameShape_AgreeWithLibphonenumber()
    {
        var numbers = Enumerable.Range(0, 300).Select(i => $"07700 9{i:D5}").Concat(Enumerable.Range(0, 100).Select(i => $"+44 20 7946 {i:D4}")).ToList();
        var text = new StringBuilder(RoadstarCustomerHeader);
        for (var i = 0; i < numbers.Count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"C{i},,,,Smith,,,GB,,{numbers[i]},\n");
        }

        var rows = await ReadAllAsync(Utf8(text.ToString()), Roadstar(ImportFileType.Customers));

        for (var i = 0; i < numbers.Count; i++)
        {
            Assert.Equal(Phones.ToE164(numbers[i], "GB"), rows[i].Values!["phone_mobile"]);
        }
    }

    [Theory]
    [InlineData("Company", "", "COMPANY_NAME is required for a company (buyer type Company).")]
    [InlineData("", "", "LAST_NAME is required for a person.")]
    public async Task Read_CustomerWithoutItsName_IsRejected(string buyerType, string lastName, string reason)
    {
        var row = await RoadstarCustomerAsync($"C6,{buyerType},,Ann,{lastName},,,GB,,,");

        Assert.Equal(reason, Assert.Single(row.Problems).Reason);
    }

    [Fact]
    public async Task Read_CompanyWithCompanyNameOnly_IsValid()
    {
        var row = await RoadstarCustomerAsync("C7,business,,,,\"Acme Fleet, Ltd\",,GB,,,");

        Assert.True(row.IsValid, Problems(row));
        Assert.Equal("Company", row.Values!["buyer_type"]);
        Assert.Equal("Acme Fleet, Ltd", row.Values["company_name"]);
    }

    [Fact]
    public async Task Read_MissingKey_IsRequired()
    {
        var row = await RoadstarCustomerAsync(" ,,,Ann,Smith,,,GB,,,");

        Assert.Equal("CUSTOMER_NO (customer_id) is required.", Assert.Single(row.Problems).Reason);
        Assert.Null(row.RecordKey);
    }

    [Theory]
    [InlineData("=SUM(A1)")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@HYPERLINK(\"\"http://x\"\")")]
    public async Task Read_FormulaLookingValue_IsKeptAsText(string value)
    {
        var row = await RoadstarCustomerAsync($"C8,,,Ann,\"{value}\",,,GB,,,");

        Assert.True(row.IsValid, Problems(row));
        Assert.Equal(value.Replace("\"\"", "\"", StringComparison.Ordinal), row.Values!["last_name"]);
    }

    [Theory]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("Robert'); DROP TABLE Customers;--")]
    [InlineData("O'Brien & Söhne <b>GmbH</b>")]
    public async Task Read_HostileStrings_AreKeptVerbatim(string value)
    {
        var row = await RoadstarCustomerAsync($"C9,,,\"{value}\",Smith,,,GB,,,");

        Assert.True(row.IsValid, Problems(row));
        Assert.Equal(value, row.Values!["first_name"]);
    }

    [Fact]
    public async Task Read_ControlCharacterInValue_IsRejectedNamingTheColumn()
    {
        var row = await RoadstarCustomerAsync("C10,,,An\u0007n,Smith,,,GB,,,");

        var problem = Assert.Single(row.Problems);
        Assert.Equal("FIRST_NAME", problem.Column);
        Assert.Equal("FIRST_NAME holds the control character U+0007 (character 3 of the value).", problem.Reason);
    }

    [Fact]
    public async Task Read_TabInValue_IsAllowed()
    {
        var row = await RoadstarCustomerAsync("C11,,,\"Ann\tMarie\",Smith,,,GB,,,");

        Assert.True(row.IsValid, Problems(row));
    }

    [Fact]
    public async Task Read_InvalidBytesInDeclaredEncoding_RejectTheRowAndReadingGoesOn()
    {
        var content = Bytes(Encoding.UTF8.GetBytes(RoadstarCustomerHeader + "C1,,,Jörg,"), [0xFC], Encoding.UTF8.GetBytes("ller,,,GB,,,\nC2,,,Ann,Smith,,,GB,,,\n"));

        var rows = await ReadAllAsync(content, Roadstar(ImportFileType.Customers));

        Assert.Equal("LAST_NAME holds bytes that are not valid utf-8 (character 1 of the value): is the file in another encoding?", Assert.Single(rows[0].Problems).Reason);
        Assert.True(rows[1].IsValid, Problems(rows[1]));
    }

    [Fact]
    public async Task Read_QuotedNewlinesAndQuotes_ValuesIntactAndLineNumbersPhysical()
    {
        var text = RoadstarCustomerHeader + "C1,,,\"Ann \"\"Nan\"\"\",\"Smith\nSmythe\",,,GB,,,\nC2,,,Bob,Jones,,,GB,,,\n";

        var rows = await ReadAllAsync(Utf8(text), Roadstar(ImportFileType.Customers));

        Assert.Equal("Ann \"Nan\"", rows[0].Values!["first_name"]);
        Assert.Equal("Smith\nSmythe", rows[0].Values!["last_name"]);
        Assert.Equal([2L, 4L], rows.Select(r => r.LineNumber));
        Assert.Contains("\"Smith\nSmythe\"", rows[0].RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WrongColumnCount_IsARowProblem()
    {
        var rows = await ReadAllAsync(Utf8(RoadstarCustomerHeader + "C1,,,Ann,Smith\nC2,,,Bob,Jones,,,GB,,,\n"), Roadstar(ImportFileType.Customers));

        Assert.Equal("Line 2 has 5 columns but the header has 11.", Assert.Single(rows[0].Problems).Reason);
        Assert.True(rows[1].IsValid);
    }

    [Fact]
    public async Task Read_LineTooLong_IsARowProblemWithTruncatedRawText()
    {
        var text = RoadstarCustomerHeader + "C1,,,Ann," + new string('x', 1_100_000) + ",,,GB,,,\nC2,,,Bob,Jones,,,GB,,,\n";

        var rows = await ReadAllAsync(Utf8(text), Roadstar(ImportFileType.Customers));

        Assert.StartsWith("Line 2 is longer than 1,048,576 characters", Assert.Single(rows[0].Problems).Reason, StringComparison.Ordinal);
        Assert.Equal(4000, rows[0].RawText.Length);
        Assert.True(rows[1].IsValid);
    }

    [Fact]
    public async Task Read_LongValue_RawTextIsTruncatedTo4000()
    {
        var row = await RoadstarCustomerAsync("C1,,,Ann," + new string('x', 5000) + ",,,GB,,,");

        Assert.Equal(4000, row.RawText.Length);
        Assert.Equal("LAST_NAME is 5000 characters long; at most 100 are allowed.", Assert.Single(row.Problems).Reason);
    }

    [Fact]
    public async Task Read_SameValuesInAnotherColumnOrder_GiveTheSameHash()
    {
        var format = SimpleCustomers();
        var a = await ReadAllAsync(Utf8("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n1,Smith,Anne\n"), format);
        var b = await ReadAllAsync(Utf8("FIRST_NAME,ID,LAST_NAME\nAnn,1,Smith\n"), format);

        Assert.Equal(a[0].Hash, b[0].Hash);
        Assert.NotEqual(a[0].Hash, a[1].Hash);
    }

    [Theory]
    [InlineData("Saloon", "Saloon")]
    [InlineData("sedan", "Saloon")]
    [InlineData("LIMOUSINE", "Saloon")]
    [InlineData("4x4", "Suv")]
    [InlineData("Station Wagon", "Estate")]
    [InlineData("Kombi", "Estate")]
    [InlineData("cabrio", "Convertible")]
    public async Task Read_BodyTypeSynonyms_MapToTheAllowedValue(string written, string expected)
    {
        var rows = await ReadAllAsync(Utf8($"VEHICLE_NO,BODY_STYLE\nV1,{written}\n"), Roadstar(ImportFileType.Vehicles), ImportFileType.Vehicles);

        Assert.Equal(expected, rows[0].Values!["body_type"]);
    }

    [Theory]
    [InlineData("N", "New")]
    [InlineData("u", "Used")]
    [InlineData("Gebraucht", "Used")]
    public async Task Read_NewOrUsedSynonyms_MapToTheAllowedValue(string written, string expected)
    {
        var rows = await ReadAllAsync(Utf8($"SALE_NO,CUSTOMER_NO,VEHICLE_NO,SALE_DATE,NEW_USED\nS1,C1,V1,2024-05-01,{written}\n"),
            Roadstar(ImportFileType.Sales), ImportFileType.Sales);

        Assert.True(rows[0].IsValid, Problems(rows[0]));
        Assert.Equal(expected, rows[0].Values!["new_or_used"]);
    }

    [Fact]
    public async Task Read_SaleWithoutVehicle_IsRejected()
    {
        var rows = await ReadAllAsync(Utf8("SALE_NO,CUSTOMER_NO,VEHICLE_NO,VIN,SALE_DATE\nS1,C1,,,2024-05-01\n"), Roadstar(ImportFileType.Sales), ImportFileType.Sales);

        Assert.Equal("Either VEHICLE_NO (vehicle_id) or VIN is required to know the vehicle.", Assert.Single(rows[0].Problems).Reason);
    }

    [Theory]
    [InlineData("wvwzzz1jz3w386752", "WVWZZZ1JZ3W386752")]
    [InlineData("1HGCM82633A004352", "1HGCM82633A004352")]
    [InlineData("1hgcm-82639a004352", "1HGCM82639A004352")]
    public async Task Read_Vin_NormalisedAndKeptEvenWithBadCheckDigit(string written, string expected)
    {
        var rows = await ReadAllAsync(Utf8($"VEHICLE_NO,VIN\nV1,{written}\n"), Roadstar(ImportFileType.Vehicles), ImportFileType.Vehicles);

        Assert.True(rows[0].IsValid, Problems(rows[0]));
        Assert.Equal(expected, rows[0].Values!["vin"]);
    }

    [Fact]
    public async Task Read_MalformedVin_IsRejected()
    {
        var rows = await ReadAllAsync(Utf8("VEHICLE_NO,VIN\nV1,WVWZZZ1JZ3W38675O\n"), Roadstar(ImportFileType.Vehicles), ImportFileType.Vehicles);

        Assert.Equal("VIN \"WVWZZZ1JZ3W38675O\" is not a VIN: VIN may not contain the letter O (confused with 1 and 0).", Assert.Single(rows[0].Problems).Reason);
    }

    [Theory]
    [InlineData("1.234,50", "1234.50")]
    [InlineData("-12,5", "-12.5")]
    [InlineData("0,00", "0.00")]
    [InlineData("1234", "1234")]
    public async Task Read_GermanNumbers_AreStagedInvariant(string written, string expected)
    {
        var content = new MemoryStream(Windows1252($"POSITIONSNR;AUFTRAGSNR;BETRAG\r\nP1;A1;{written}\r\n"));

        var rows = await ReadAllAsync(content, WerkstattPlus(ImportFileType.LabourLines), ImportFileType.LabourLines);

        Assert.True(rows[0].IsValid, Problems(rows[0]));
        Assert.Equal(expected, rows[0].Values!["amount"]);
    }

    [Theory]
    [InlineData("12.50")]
    [InlineData("1.23")]
    [InlineData("12 EUR")]
    [InlineData("1.2.3")]
    public async Task Read_GermanNumbersWrittenWrongly_AreRejected(string written)
    {
        var content = new MemoryStream(Windows1252($"POSITIONSNR;AUFTRAGSNR;BETRAG\r\nP1;A1;{written}\r\n"));

        var rows = await ReadAllAsync(content, WerkstattPlus(ImportFileType.LabourLines), ImportFileType.LabourLines);

        Assert.Equal($"BETRAG (amount) \"{written}\" is not a number with \",\" as decimal separator.", Assert.Single(rows[0].Problems).Reason);
    }

    [Theory]
    [InlineData("1,234.5", "1234.5")]
    [InlineData("99.99", "99.99")]
    public async Task Read_EnglishNumbers_AreStagedInvariant(string written, string expected)
    {
        var rows = await ReadAllAsync(Utf8($"LINE_NO,JOB_NO,AMOUNT\nL1,J1,\"{written}\"\n"), Roadstar(ImportFileType.LabourLines), ImportFileType.LabourLines);

        Assert.Equal(expected, rows[0].Values!["amount"]);
    }

    [Fact]
    public async Task Read_WholeNumberWithGermanDigitGroups_IsAccepted()
    {
        var content = new MemoryStream(Windows1252("FAHRZEUGNR;KM_STAND\r\nF1;45.000\r\n"));

        var rows = await ReadAllAsync(content, WerkstattPlus(ImportFileType.Vehicles), ImportFileType.Vehicles, "DE");

        Assert.Equal("45000", rows[0].Values!["mileage"]);
    }

    [Theory]
    [InlineData("2026-03-02 08:30", "2026-03-02T08:30:00")]
    [InlineData("2026-03-02T14:05:10", "2026-03-02T14:05:10")]
    public async Task Read_DateTime_IsStagedIso(string written, string expected)
    {
        var rows = await ReadAllAsync(Utf8($"BOOKING_NO,BOOKED_FOR\nB1,{written}\n"), Roadstar(ImportFileType.FutureBookings), ImportFileType.FutureBookings);

        Assert.True(rows[0].IsValid, Problems(rows[0]));
        Assert.Equal(expected, rows[0].Values!["booked_for"]);
    }

    [Fact]
    public async Task Read_HeaderlessFile_MapsByColumnNumber()
    {
        var content = new MemoryStream(Windows1252("T1;A1;K1;01.02.2025;Rechnung;-1.234,56;RE-1\r\nT2;;K1;02.02.2025;Zahlung;100;\r\n"));

        var rows = await ReadAllAsync(content, WerkstattPlus(ImportFileType.WorkshopTransactions), ImportFileType.WorkshopTransactions, "DE");

        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[0].LineNumber);
        Assert.Equal("T1", rows[0].RecordKey);
        Assert.Equal("2025-02-01", rows[0].Values!["transaction_date"]);
        Assert.Equal("-1234.56", rows[0].Values!["amount"]);
        Assert.False(rows[1].Values!.ContainsKey("visit_id"));
    }

    [Fact]
    public async Task Read_RequiredHeaderMissing_ThrowsNamingIt()
    {
        var exception = await Assert.ThrowsAsync<DomainException>(() => ReadAllAsync(Utf8("LAST_NAME\nSmith\n"), Roadstar(ImportFileType.Customers)));

        Assert.Contains("CUSTOMER_NO (customer_id)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Utf8BomWithWindows1252Profile_ThrowsSayingTheFileIsUtf8()
    {
        var content = Bytes([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes("KUNDENNR;NACHNAME\r\nK1;Müller\r\n"));

        var exception = await Assert.ThrowsAsync<DomainException>(() => ReadAllAsync(content, WerkstattPlus(ImportFileType.Customers)));

        Assert.StartsWith("The file starts with a UTF-8 byte order mark", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Utf8BomWithUtf8Profile_IsSkipped()
    {
        var content = Bytes([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes(RoadstarCustomerHeader + "C1,,,Jörg,Weiß,,,DE,,,\n"));

        var row = Assert.Single(await ReadAllAsync(content, Roadstar(ImportFileType.Customers)));

        Assert.True(row.IsValid, Problems(row));
        Assert.Equal("Weiß", row.Values!["last_name"]);
    }

    [Fact]
    public async Task Read_ForwardOnlyMultiMegabyteStream_AllRowsValid()
    {
        var content = new ForwardOnlyStream(new GeneratedCustomersStream(200_000));
        var count = 0;
        var invalid = 0;

        await foreach (var row in DmsFileReader.ReadAsync(content, SimpleCustomers(), DmsFileSpecs.Customers, "GB", CancellationToken.None))
        {
            count++;
            invalid += row.IsValid ? 0 : 1;
        }

        Assert.Equal(200_000, count);
        Assert.Equal(0, invalid);
    }
}
