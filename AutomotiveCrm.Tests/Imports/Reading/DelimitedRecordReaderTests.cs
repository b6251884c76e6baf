using System.Text;
using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Tests.Imports.Reading;

public sealed class DelimitedRecordReaderTests
{
    private static async Task<List<(long Line, string[] Fields, LineEnding Ending, RecordIssue Issue)>> ReadAsync(
        string text, char delimiter = ',', char? quote = '"', int maxRecordChars = DelimitedRecordReader.DefaultMaxRecordChars)
    {
        using var reader = new DelimitedRecordReader(ReadingHelpers.Utf8(text), delimiter, quote, Encoding.UTF8, maxRecordChars);
        var records = new List<(long, string[], LineEnding, RecordIssue)>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).ToString()).ToArray();
            records.Add((reader.LineNumber, fields, reader.Ending, reader.Issue));
        }

        return records;
    }

    [Fact]
    public async Task Read_QuotedDelimitersQuotesAndNewlines_AreValuesAndLinesAreCounted()
    {
        var records = await ReadAsync("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",z\r\n3,\"\",last\r\n");

        Assert.Equal(4, records.Count);
        Assert.Equal(["1", "x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["2", "two\r\nlines", "z"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(5, records[3].Line);
        Assert.Equal(["3", "", "last"], records[3].Fields);
        Assert.All(records, r => Assert.Equal(LineEnding.CrLf, r.Ending));
    }

    [Fact]
    public async Task Read_QuoteInsideUnquotedField_IsAnOrdinaryCharacter()
    {
        var records = await ReadAsync("1,5\" tyre,x\n2,\"a\"b,c\n");

        Assert.Equal(["1", "5\" tyre", "x"], records[0].Fields);
        Assert.Equal(["2", "ab", "c"], records[1].Fields);
    }

    [Fact]
    public async Task Read_BlankLinesAndMissingFinalNewline_BlankLinesSkippedLastRecordKept()
    {
        var records = await ReadAsync("a;b\n\n1;2\n\n\n3;4", delimiter: ';');

        Assert.Equal(3, records.Count);
        Assert.Equal([1L, 3L, 6L], records.Select(r => r.Line));
        Assert.Equal(LineEnding.EndOfFile, records[2].Ending);
        Assert.Equal(["3", "4"], records[2].Fields);
    }

    [Fact]
    public async Task Read_TrailingDelimiter_GivesAnEmptyLastField()
    {
        var records = await ReadAsync("a,b,\n");

        Assert.Equal(["a", "b", ""], records[0].Fields);
    }

    [Fact]
    public async Task Read_NoQuoteCharacter_QuotesAreData()
    {
        var records = await ReadAsync("\"a\"|b\n", delimiter: '|', quote: null);

        Assert.Equal(["\"a\"", "b"], records[0].Fields);
    }

    [Fact]
    public async Task Read_RecordSpanningManyBlocks_IsReassembled()
    {
        var longValue = new string('x', 200_000);
        var records = await ReadAsync($"id,note\n1,\"{longValue}\"\n2,short\n");

        Assert.Equal(longValue, records[1].Fields[1]);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public async Task Read_CrLfSplitAcrossBlocks_CountsAsOneLineEnding()
    {
        // 65,536 bytes per block: put the CR as the last byte of the first block.
        var first = new string('a', 65_535 - 2) + ",b";
        var records = await ReadAsync(first + "\r\nc,d\r\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(LineEnding.CrLf, records[0].Ending);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public async Task Read_RecordLongerThanTheLimit_IsFlaggedAndReadingGoesOn()
    {
        var records = await ReadAsync($"a,b\n1,{new string('x', 5000)}\n2,ok\n", maxRecordChars: 1000);

        Assert.Equal(RecordIssue.TooLong, records[1].Issue);
        Assert.Empty(records[1].Fields);
        Assert.Equal(["2", "ok"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public async Task Read_UnterminatedQuote_IsFlaggedWithTheLineItOpenedOn()
    {
        using var reader = new DelimitedRecordReader(ReadingHelpers.Utf8("a,b\n1,2\n3,\"open\n4,5\n"), ',', '"', Encoding.UTF8);
        while (await reader.ReadAsync(CancellationToken.None) && reader.Issue == RecordIssue.None)
        {
        }

        Assert.Equal(RecordIssue.UnterminatedQuote, reader.Issue);
        Assert.Equal(3, reader.QuoteOpenedOnLine);
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public async Task Read_InvalidUtf8_IsDecodedAsReplacementAndTracked()
    {
        var bytes = ReadingHelpers.Bytes(Encoding.ASCII.GetBytes("a,b\n1,M"), [0xFC], Encoding.ASCII.GetBytes("ller\n"));
        using var reader = new DelimitedRecordReader(bytes, ',', '"', Encoding.UTF8);

        await reader.ReadAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);

        Assert.Equal("M\uFFFDller", reader.Field(1).ToString());
        Assert.Equal(1, reader.InvalidBytes.Count);
        Assert.Equal("0xFC", reader.InvalidBytes.LastBytes);
    }
}
