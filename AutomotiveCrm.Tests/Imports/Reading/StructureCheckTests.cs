using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Reading;
using static AutomotiveCrm.Tests.Imports.Reading.ReadingHelpers;

namespace AutomotiveCrm.Tests.Imports.Reading;

public sealed class StructureCheckTests
{
    [Fact]
    public async Task Run_EmptyFile_FailsAsEmpty()
    {
        var result = await CheckAsync(new MemoryStream(), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Equal("The file is empty.", result.Reason);
    }

    [Fact]
    public async Task Run_OnlyBlankLines_FailsAsEmpty()
    {
        var result = await CheckAsync(Utf8("\r\n\r\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Contains("empty", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HeaderOnly_FailsNamingIt()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\r\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Equal("The file has a header row but no data rows.", result.Reason);
    }

    [Fact]
    public async Task Run_GoodFile_PassesAndCountsDataRows()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\r\n1,Smith,Ann\r\n2,\"Jones, Jr\",Bob\r\n"), SimpleCustomers());

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(2, result.DataRows);
    }

    [Fact]
    public async Task Run_WrongDelimiter_SaysWhichDelimiterTheHeaderUses()
    {
        var result = await CheckAsync(Utf8("ID;LAST_NAME;FIRST_NAME\n1;Smith;Ann\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Equal("The header is one column but the profile expects at least 3 columns separated by \",\": " +
            "the file seems to use \";\" as its delimiter (3 columns).", result.Reason);
    }

    [Fact]
    public async Task Run_RequiredHeaderMissing_NamesTheColumn()
    {
        var result = await CheckAsync(Utf8("CUSTNO,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("The header has no column for the required field ID (customer_id).", result.Reason, StringComparison.Ordinal);
        Assert.Contains("CUSTNO", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HeaderNamesDifferInCaseAndSpaces_StillMatch()
    {
        var result = await CheckAsync(Utf8(" id , Last_Name,first_name\n1,Smith,Ann\n"), SimpleCustomers());

        Assert.True(result.Passed, result.Reason);
    }

    [Fact]
    public async Task Run_ColumnCountDiffers_NamesLineExpectedAndFound()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n2,Jones,Bob,extra\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Equal("Line 3 has 4 columns but the header has 3 (a value holding the delimiter \",\" must be quoted).", result.Reason);
    }

    [Fact]
    public async Task Run_MixedLineEndings_NamesTheLine()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\r\n1,Smith,Ann\r\n2,Jones,Bob\n3,Lee,Cy\r\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("Line 3 ends with LF but earlier lines end with CRLF", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LfInsideQuotedFieldOfCrLfFile_IsNotMixedLineEndings()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\r\n1,\"Smith\nSmythe\",Ann\r\n2,Jones,Bob\r\n"), SimpleCustomers());

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(2, result.DataRows);
    }

    [Fact]
    public async Task Run_UnterminatedQuote_NamesTheLineWhereItOpened()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n2,\"Jones,Bob\n3,Lee,Cy\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("The quote opened on line 3 is never closed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_VeryLongLine_FailsNamingTheLineWithoutLoadingIt()
    {
        var text = "ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n2," + new string('x', 1_200_000) + ",Bob\n";

        var result = await CheckAsync(Utf8(text), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("Line 3 is longer than 1,048,576 characters", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BinaryGarbage_FailsAsBinaryContentAtItsLine()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[10] = 0;
        var content = Bytes(Encoding.ASCII.GetBytes("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n"), garbage);

        var result = await CheckAsync(content, SimpleCustomers(encoding: "windows-1252"));

        Assert.False(result.Passed);
        Assert.Contains("binary content at line 3", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NulByteInValue_NamesLineAndColumn()
    {
        var result = await CheckAsync(Utf8("ID,LAST_NAME,FIRST_NAME\n1,Sm\0ith,Ann\n"), SimpleCustomers());

        Assert.False(result.Passed);
        Assert.Equal("The file has binary content at line 2, column 2 (LAST_NAME) (a NUL byte): it is not a text file, or it is damaged.", result.Reason);
    }

    [Fact]
    public async Task Run_BytesInvalidInDeclaredUtf8_NamesLineColumnAndBytes()
    {
        var content = Bytes(Encoding.ASCII.GetBytes("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n2,"), Windows1252("Müller"), Encoding.ASCII.GetBytes(",Jörg\n"));

        var result = await CheckAsync(content, SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("Line 3, column 2 (LAST_NAME) holds bytes that are not valid utf-8 (0xFC)", result.Reason, StringComparison.Ordinal);
        Assert.Contains("windows-1252", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Utf8BomWithUtf8Profile_IsAcceptedAndSkipped()
    {
        var content = Bytes([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n"));

        var result = await CheckAsync(content, SimpleCustomers());

        Assert.True(result.Passed, result.Reason);
    }

    [Fact]
    public async Task Run_Utf8BomWithWindows1252Profile_SaysTheFileIsUtf8()
    {
        var content = Bytes([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes("ID,LAST_NAME,FIRST_NAME\n1,Smith,Ann\n"));

        var result = await CheckAsync(content, SimpleCustomers(encoding: "windows-1252"));

        Assert.False(result.Passed);
        Assert.StartsWith("The file starts with a UTF-8 byte order mark, so it is UTF-8, but the profile says windows-1252", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Utf16File_IsRefusedAsUtf16()
    {
        var content = new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("ID,LAST_NAME\n1,Smith\n")).ToArray());

        var result = await CheckAsync(content, SimpleCustomers());

        Assert.False(result.Passed);
        Assert.StartsWith("The file is UTF-16", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Windows1252File_WithUmlauts_Passes()
    {
        var content = new MemoryStream(Windows1252("ID;LAST_NAME;FIRST_NAME\r\n1;Müller;Jürgen\r\n2;Weiß;Ölaf\r\n"));

        var result = await CheckAsync(content, SimpleCustomers(';', "windows-1252"));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(2, result.DataRows);
    }

    [Fact]
    public async Task Run_HeaderlessProfile_ColumnBeyondTheLine_IsNamed()
    {
        var format = WerkstattPlus(ImportFileType.WorkshopTransactions);

        var result = await CheckAsync(new MemoryStream(Windows1252("T1;A1;K1;01.02.2025\r\n")), format, ImportFileType.WorkshopTransactions);

        Assert.False(result.Passed);
        Assert.Contains("column 5 but line 1 has only 4 columns", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ReportsProgressEvery10000Rows()
    {
        var reports = new List<long>();
        var progress = new SynchronousProgress(reports.Add);

        var result = await StructureCheck.RunAsync(new GeneratedCustomersStream(25_000), SimpleCustomers(), DmsFileSpecs.Customers, progress, CancellationToken.None);

        Assert.True(result.Passed, result.Reason);
        Assert.Equal([10_000L, 20_000L, 25_000L], reports);
    }

    [Fact]
    public async Task Run_MultiMegabyteForwardOnlyStream_StreamsWithBoundedMemory()
    {
        var content = new GeneratedCustomersStream(1_500_000);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var result = await StructureCheck.RunAsync(content, SimpleCustomers(), DmsFileSpecs.Customers, null, CancellationToken.None);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(result.Passed, result.Reason);
        Assert.Equal(1_500_000, result.DataRows);
        Assert.True(content.BytesProduced > 40_000_000, $"only {content.BytesProduced} bytes");
        // The check's buffers and nothing per row: a few megabytes at most, whatever the file size.
        Assert.True(allocated < 8_000_000, $"{allocated:N0} bytes allocated for {content.BytesProduced:N0} bytes read");
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
