using System.Text;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Web.Campaigns.Exports;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>The print-house CSV: BOM, RFC 4180, one row per label with the address block in columns, hostile cells neutralised.</summary>
public sealed class PrintHouseCsvTests
{
    private static async Task<(byte[] Bytes, List<List<string>> Records)> WriteAsync(IReadOnlyList<LabelRow> labels)
    {
        using var output = new MemoryStream();
        await PrintHouseCsv.WriteAsync(labels, output);
        var bytes = output.ToArray();
        return (bytes, Rfc4180.Parse(Encoding.UTF8.GetString(bytes.AsSpan(3))));
    }

    [Fact]
    public async Task Write_Labels_BomHeaderAndOneRowPerLabelWithLinesInColumns()
    {
        var labels = new[] { LabelPdfTests.Label(7, "Ms Alex Morgan", "ls11aa", town: "Leeds"), LabelPdfTests.Label(8, "Jan de Vries", "1012AB", "NL", "Amsterdam") };

        var (bytes, records) = await WriteAsync(labels);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        Assert.Equal(PrintHouseCsv.Header, records[0]);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(PrintHouseCsv.Header.Count, r.Count));
        Assert.Equal(["1", "7", "Ms Alex Morgan", "7 Station Road", "LEEDS", "LS1 1AA", "", "", ""], records[1].Take(9));
        Assert.Equal(["2", "8", "Jan de Vries", "8 Station Road", "1012 AB  AMSTERDAM", "NETHERLANDS"], records[2].Take(6));
        Assert.Equal("NL", records[2][PrintHouseCsv.Header.Count - 2]);
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_HostileValues_QuotedNeutralisedAndReadBackIntact()
    {
        var labels = HostileValues.All.Select((v, i) =>
            new LabelRow(i + 1, new PostalAddress(v, null, v, null, "York", null, "YO1 7HH", "GB"), [v, "YORK"])).ToList();

        var (_, records) = await WriteAsync(labels);

        Assert.Equal(HostileValues.All.Length + 1, records.Count);
        for (var i = 0; i < HostileValues.All.Length; i++)
        {
            var value = HostileValues.All[i];
            var expected = ExportText.IsDangerous(value) ? "'" + value : value;
            Assert.Equal(expected, records[i + 1][2]);
            Assert.Equal(expected, records[i + 1][PrintHouseCsv.Header.ToList().IndexOf("Recipient")]);
        }

        Assert.All(records.Skip(1).SelectMany(r => r), f => Assert.False(f.Length > 0 && f[0] is '=' or '+' or '-' or '@' or '\t' or '\r', f));
    }

    [Fact]
    public async Task Write_BlockLongerThanTheColumns_KeepsTheLastLine()
    {
        var lines = Enumerable.Range(1, 9).Select(i => $"L{i}").ToList();
        var (_, records) = await WriteAsync([new LabelRow(1, new PostalAddress("a", null, "b", null, "c", null, "d", "GB"), lines)]);

        Assert.Equal(["L1", "L2", "L3", "L4", "L5", "L6, L7, L8", "L9"], records[1].Skip(2).Take(PrintHouseCsv.AddressColumns));
    }
}
