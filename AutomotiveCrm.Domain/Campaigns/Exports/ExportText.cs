namespace AutomotiveCrm.Domain.Campaigns.Exports;

/// <summary>
/// The one rule every campaign export applies to text that came from customers or imports, so that no exported value
/// runs as a spreadsheet formula ("CSV injection"). A value is dangerous when its first character makes a spreadsheet
/// parse it: <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return (and their full-width forms, which
/// some Excel locales treat alike). Per format:
/// <list type="bullet">
/// <item><b>CSV</b>: the file holds no types, so Excel parses every cell it opens: a dangerous value gets a leading
/// apostrophe (<see cref="Neutralise"/>), which Excel shows as text and LibreOffice keeps visible.</item>
/// <item><b>XLSX</b>: every value is written as a string cell (a shared or inline string, never a <c>&lt;f&gt;</c>
/// formula element), which Excel never evaluates on opening. A string cell is re-parsed when a user edits it (F2,
/// Enter), so a dangerous value also carries the cell style's <c>quotePrefix</c> (<see cref="IsDangerous"/>): Excel
/// then keeps it text after editing too, and the value itself stays unchanged (no visible apostrophe).</item>
/// <item><b>PDF</b>: text is drawn, nothing is evaluated: values are printed as they are (control characters
/// removed, <see cref="SingleLine"/>).</item>
/// </list>
/// </summary>
public static class ExportText
{
    /// <summary>The most characters an Excel cell holds; longer values are cut (with an ellipsis) rather than refused.</summary>
    public const int ExcelCellLimit = 32_767;

    /// <summary>Whether a spreadsheet would read the value as a formula (or as a formula's start).</summary>
    public static bool IsDangerous(string? value) =>
        !string.IsNullOrEmpty(value) && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';

    /// <summary>The value for a CSV cell: a dangerous value gets a leading apostrophe; null becomes empty.</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return IsDangerous(value) ? "'" + value : value;
    }

    /// <summary>One CSV field (RFC 4180): neutralised, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string? value)
    {
        var text = Neutralise(value);
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// Text an XML part can carry (XML 1.0 forbids most control characters and lone surrogates; an imported value may
    /// hold them), line breaks as Excel writes them (LF), cut to <see cref="ExcelCellLimit"/>.
    /// </summary>
    public static string ForSpreadsheet(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var clean = value;
        if (NeedsXmlCleaning(value))
        {
            var builder = new System.Text.StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var ch = value[i];
                if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(ch).Append(value[++i]);
                }
                else if (!char.IsSurrogate(ch) && (ch >= 0x20 || ch is '\t' or '\n' or '\r') && ch is not ('\uFFFE' or '\uFFFF'))
                {
                    builder.Append(ch);
                }
            }

            clean = builder.ToString();
        }

        if (clean.Contains('\r', StringComparison.Ordinal))
        {
            clean = clean.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }

        return clean.Length <= ExcelCellLimit ? clean : string.Concat(clean.AsSpan(0, ExcelCellLimit - 1), "…");
    }

    /// <summary>One printable line: control characters and line breaks become single spaces, runs of spaces collapse.</summary>
    public static string SingleLine(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "";
        }

        var builder = new System.Text.StringBuilder(value.Length);
        var space = false;
        foreach (var ch in value)
        {
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }

    private static bool NeedsXmlCleaning(string value)
    {
        foreach (var ch in value)
        {
            if ((ch < 0x20 && ch is not ('\t' or '\n' or '\r')) || char.IsSurrogate(ch) || ch is '\uFFFE' or '\uFFFF')
            {
                return true;
            }
        }

        return false;
    }
}
