using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Web.Campaigns.Exports;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>The label PDF read back with PdfPig: pages, the text in each label, and nothing outside a label.</summary>
public sealed class LabelPdfTests
{
    private static readonly DateTime Generated = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    internal static LabelRow Label(long id, string name, string postcode, string country = "GB", string town = "York", string? organisation = null)
    {
        var address = new PostalAddress(name, organisation, $"{id} Station Road", null, town, null, postcode, country);
        return new LabelRow(id, address, AddressFormat.Lines(address, "GB"));
    }

    private static byte[] Write(IReadOnlyList<LabelRow> labels, LabelGrid grid, bool outlines = false)
    {
        using var output = new MemoryStream();
        LabelPdfWriter.Write(labels, grid, output, "Test labels", Generated, outlines);
        return output.ToArray();
    }

    /// <summary>The text inside each label rectangle of a page, slot by slot, lines top to bottom.</summary>
    internal static List<string> SlotTexts(Page page, LabelGrid grid)
    {
        var texts = new List<string>();
        for (var slot = 0; slot < grid.Spec.LabelsPerPage; slot++)
        {
            var (x, y, width, height) = grid.Label(slot);
            var top = page.Height - y;
            var bottom = top - height;
            var letters = page.Letters.Where(l => l.StartBaseLine.X >= x && l.StartBaseLine.X <= x + width
                && l.StartBaseLine.Y <= top && l.StartBaseLine.Y >= bottom).ToList();
            var lines = letters.GroupBy(l => Math.Round(l.StartBaseLine.Y, 1))
                .OrderByDescending(g => g.Key)
                .Select(g => string.Concat(g.OrderBy(l => l.StartBaseLine.X).Select(l => l.Value)));
            texts.Add(string.Join("|", lines));
        }

        return texts;
    }

    [Theory]
    [InlineData(LabelSheet.A4ThreeBySeven, 45, 3)]
    [InlineData(LabelSheet.A4ThreeBySeven, 21, 1)]
    [InlineData(LabelSheet.A4TwoBySeven, 15, 2)]
    [InlineData(LabelSheet.LetterThreeByTen, 31, 2)]
    [InlineData(LabelSheet.LetterThreeByTen, 0, 1)]
    public void Write_PagesAreLabelsOverLabelsPerSheetRoundedUp(LabelSheet sheet, int count, int pages)
    {
        var spec = LabelSheetSpec.For(sheet);
        var labels = Enumerable.Range(1, count).Select(i => Label(i, $"Customer {i}", $"YO{i % 9 + 1} 1AA")).ToList();

        using var pdf = PdfDocument.Open(Write(labels, spec.Grid()!));

        Assert.Equal(pages, pdf.NumberOfPages);
        Assert.Equal((int)Math.Round(spec.PageWidthMm * LabelSheetSpec.PointsPerMm), (int)Math.Round(pdf.GetPage(1).Width));
        Assert.Equal(Math.Max(1, (count + spec.LabelsPerPage - 1) / spec.LabelsPerPage), pdf.NumberOfPages);
    }

    [Fact]
    public void Write_EachLabelInItsSlotInOrder()
    {
        var grid = LabelSheetSpec.A4ThreeBySeven.Grid()!;
        var labels = Enumerable.Range(1, 25).Select(i => Label(i, $"Customer {i:D2}", "YO1 7HH")).ToList();

        using var pdf = PdfDocument.Open(Write(labels, grid));
        var first = SlotTexts(pdf.GetPage(1), grid);
        var second = SlotTexts(pdf.GetPage(2), grid);

        Assert.Equal("Customer 01|1 Station Road|YORK|YO1 7HH", first[0]);
        Assert.StartsWith("Customer 02|", first[1], StringComparison.Ordinal);
        Assert.StartsWith("Customer 04|", first[3], StringComparison.Ordinal);
        Assert.StartsWith("Customer 21|", first[20], StringComparison.Ordinal);
        Assert.StartsWith("Customer 25|", second[3], StringComparison.Ordinal);
        Assert.Equal("", second[4]);
    }

    [Theory]
    [InlineData(LabelSheet.A4ThreeBySeven)]
    [InlineData(LabelSheet.LetterThreeByTen)]
    public void Write_LongNames_NoTextOutsideTheLabel(LabelSheet sheet)
    {
        var grid = LabelSheetSpec.For(sheet).Grid()!;
        var longName = "Professor Maximilian Alexander Featherstonehaugh-Cholmondeley-Marjoribanks-Wolfeschlegelsteinhausen";
        var labels = new List<LabelRow>
        {
            Label(1, longName, "YO1 7HH"),
            Label(2, "Ann Lee", "YO1 7HH", organisation: "Northgate Fleet Services and Vehicle Leasing International Holdings Limited"),
            Label(3, new string('W', 300), "YO1 7HH", country: "DE", town: new string('M', 120)),
            new(4, new PostalAddress("x", null, "y", null, "z", null, "1", "GB"), Enumerable.Range(1, 30).Select(i => $"Line {i} of a very long block").ToList()),
            Label(5, "Short Name", "YO1 7HH"),
        };

        using var pdf = PdfDocument.Open(Write(labels, grid));
        var page = pdf.GetPage(1);

        Assert.NotEmpty(page.Letters);
        foreach (var letter in page.Letters)
        {
            var inside = Enumerable.Range(0, 5).Select(grid.Label).Any(r =>
                letter.BoundingBox.Left >= r.X - 0.01 && letter.BoundingBox.Right <= r.X + r.Width + 0.01
                && letter.BoundingBox.Top <= page.Height - r.Y + 0.01 && letter.BoundingBox.Bottom >= page.Height - r.Y - r.Height - 0.01);
            Assert.True(inside, $"'{letter.Value}' at {letter.BoundingBox} is outside every label.");
        }

        var texts = SlotTexts(page, grid);
        // The long name is kept whole (shrunk or wrapped), not cut.
        Assert.Contains("Wolfeschlegelsteinhausen", texts[0].Replace("|", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("…", texts[3], StringComparison.Ordinal);
        Assert.StartsWith("Short Name|", texts[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NonLatinScripts_TextPresent()
    {
        var grid = LabelSheetSpec.A4TwoBySeven.Grid()!;
        var labels = new List<LabelRow> { Label(1, "Ольга Иванова", "10115", "DE", "Berlin"), Label(2, "Νίκος Παπαδόπουλος", "10557", "GR", "Αθήνα") };

        using var pdf = PdfDocument.Open(Write(labels, grid));
        var texts = SlotTexts(pdf.GetPage(1), grid);

        Assert.StartsWith("Ольга Иванова|", texts[0], StringComparison.Ordinal);
        Assert.Contains("10557 Αθήνα", texts[1], StringComparison.Ordinal);
        Assert.EndsWith("GREECE", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_Defaults_AreTheStandardPitchAndMarginsOverrideThem()
    {
        var standard = LabelSheetSpec.A4ThreeBySeven.Grid()!;
        Assert.Equal(66.04, standard.PitchX / LabelSheetSpec.PointsPerMm, 2);
        Assert.Equal(38.1, standard.PitchY / LabelSheetSpec.PointsPerMm, 2);
        Assert.Equal(7.25, standard.Left / LabelSheetSpec.PointsPerMm, 2);
        var letter = LabelSheetSpec.LetterThreeByTen.Grid()!;
        Assert.Equal(2.75 * 72, letter.PitchX, 1);
        Assert.Equal(72, letter.PitchY, 1);
        Assert.Equal(0.5 * 72, letter.Top, 1);

        Assert.True(LabelMargins.TryParse("20, 10, 10.5, 12", out var margins));
        var moved = LabelSheetSpec.A4ThreeBySeven.Grid(margins)!;
        Assert.Equal(12, moved.Left / LabelSheetSpec.PointsPerMm, 3);
        Assert.Equal(20, moved.Top / LabelSheetSpec.PointsPerMm, 3);
        // The last row ends at the bottom margin, the last column at the right margin.
        Assert.Equal(297 - 10.5, (moved.Top + (6 * moved.PitchY) + moved.LabelHeight) / LabelSheetSpec.PointsPerMm, 3);
        Assert.Equal(210 - 10, (moved.Left + (2 * moved.PitchX) + moved.LabelWidth) / LabelSheetSpec.PointsPerMm, 3);

        using var pdf = PdfDocument.Open(Write([Label(1, "Moved Label", "YO1 7HH")], moved));
        var first = pdf.GetPage(1).Letters[0];
        Assert.InRange(first.StartBaseLine.X, moved.Left, moved.Left + 20);
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("a,b,c,d")]
    [InlineData("-1,0,0,0")]
    [InlineData("101,0,0,0")]
    [InlineData("")]
    public void Margins_Malformed_Refused(string text)
    {
        Assert.False(LabelMargins.TryParse(text, out _));
    }

    [Fact]
    public void Grid_MarginsLeavingNoRoom_Null()
    {
        Assert.True(LabelMargins.TryParse("100,100,100,100", out var margins));
        Assert.Null(LabelSheetSpec.A4ThreeBySeven.Grid(margins));
    }
}
