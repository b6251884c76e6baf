using System.Globalization;
using AutomotiveCrm.Domain.Campaigns;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>Label sheet margins in millimetres, in CSS order: top, right, bottom, left.</summary>
public readonly record struct LabelMargins(double Top, double Right, double Bottom, double Left)
{
    /// <summary>Reads "top,right,bottom,left" (millimetres, a dot for decimals, each 0 to 100); false when it is not that.</summary>
    public static bool TryParse(string? text, out LabelMargins margins)
    {
        margins = default;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            return false;
        }

        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out values[i]) || values[i] > 100)
            {
                return false;
            }
        }

        margins = new LabelMargins(values[0], values[1], values[2], values[3]);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Top},{Right},{Bottom},{Left}");
}

/// <summary>
/// A label sheet's geometry: page, grid, label size and the manufacturer's margins. The pitch (label plus gap) follows
/// from the margins: with the defaults it is the standard pitch, and other margins (a printer that feeds a little
/// off) move and space the grid inside the page while the labels keep their size, shrinking only if the grid no
/// longer leaves room for it.
/// </summary>
public sealed record LabelSheetSpec(
    LabelSheet Sheet,
    string Description,
    double PageWidthMm,
    double PageHeightMm,
    int Columns,
    int Rows,
    double LabelWidthMm,
    double LabelHeightMm,
    LabelMargins DefaultMargins,
    float MaxFontSize)
{
    public const float PointsPerMm = 72f / 25.4f;

    /// <summary>A4 3 x 7, 63.5 x 38.1 mm (L7160-style): top 15.15 mm, left 7.25 mm, pitch 66.04 x 38.1 mm.</summary>
    public static LabelSheetSpec A4ThreeBySeven { get; } =
        new(LabelSheet.A4ThreeBySeven, "A4 3 x 7 (63.5 x 38.1 mm)", 210, 297, 3, 7, 63.5, 38.1, new LabelMargins(15.15, 7.17, 15.15, 7.25), 10f);

    /// <summary>A4 2 x 7, 99.1 x 38.1 mm (L7163-style): top 15.15 mm, left 4.65 mm, pitch 101.6 x 38.1 mm.</summary>
    public static LabelSheetSpec A4TwoBySeven { get; } =
        new(LabelSheet.A4TwoBySeven, "A4 2 x 7 (99.1 x 38.1 mm)", 210, 297, 2, 7, 99.1, 38.1, new LabelMargins(15.15, 4.65, 15.15, 4.65), 11f);

    /// <summary>US Letter 3 x 10, 2.625 x 1 in (5160-style): top 0.5 in, left 3/16 in, pitch 2.75 x 1 in.</summary>
    public static LabelSheetSpec LetterThreeByTen { get; } =
        new(LabelSheet.LetterThreeByTen, "US Letter 3 x 10 (2.625 x 1 in)", 215.9, 279.4, 3, 10, 66.675, 25.4, new LabelMargins(12.7, 4.7625, 12.7, 4.7625), 9f);

    public static LabelSheetSpec For(LabelSheet sheet) => sheet switch
    {
        LabelSheet.A4ThreeBySeven => A4ThreeBySeven,
        LabelSheet.A4TwoBySeven => A4TwoBySeven,
        LabelSheet.LetterThreeByTen => LetterThreeByTen,
        _ => throw new ArgumentOutOfRangeException(nameof(sheet), sheet, "Unknown label sheet."),
    };

    public int LabelsPerPage => Columns * Rows;

    /// <summary>The grid on the page for <paramref name="margins"/> (the defaults when null); null when they leave no room.</summary>
    public LabelGrid? Grid(LabelMargins? margins = null)
    {
        var m = margins ?? DefaultMargins;
        if (m.Top < 0 || m.Right < 0 || m.Bottom < 0 || m.Left < 0)
        {
            return null;
        }

        var areaWidth = PageWidthMm - m.Left - m.Right;
        var areaHeight = PageHeightMm - m.Top - m.Bottom;
        if (areaWidth < Columns * 10 || areaHeight < Rows * 8)
        {
            return null;
        }

        var width = Math.Min(LabelWidthMm, areaWidth / Columns);
        var height = Math.Min(LabelHeightMm, areaHeight / Rows);
        var pitchX = Columns > 1 ? (areaWidth - width) / (Columns - 1) : 0;
        var pitchY = Rows > 1 ? (areaHeight - height) / (Rows - 1) : 0;
        return new LabelGrid(this, (float)(PageWidthMm * PointsPerMm), (float)(PageHeightMm * PointsPerMm),
            (float)(m.Left * PointsPerMm), (float)(m.Top * PointsPerMm), (float)(width * PointsPerMm), (float)(height * PointsPerMm),
            (float)(pitchX * PointsPerMm), (float)(pitchY * PointsPerMm));
    }
}

/// <summary>Where each label sits on a page, in PDF points from the page's top-left corner.</summary>
public sealed record LabelGrid(LabelSheetSpec Spec, float PageWidth, float PageHeight, float Left, float Top, float LabelWidth, float LabelHeight,
    float PitchX, float PitchY)
{
    /// <summary>The rectangle of the label at <paramref name="index"/> on its page (row by row, left to right).</summary>
    public (float X, float Y, float Width, float Height) Label(int index)
    {
        var row = index / Spec.Columns;
        var column = index % Spec.Columns;
        return (Left + (column * PitchX), Top + (row * PitchY), LabelWidth, LabelHeight);
    }
}
