using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Web.Customers;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// The reject and duplicate reports as CSV: UTF-8 with a byte-order mark (Excel), RFC 4180 quoting (a raw row's
/// quotes and line breaks survive), CRLF line ends, and every cell neutralised against spreadsheet formula
/// injection: a cell starting with = + - @ tab or CR gets a leading apostrophe (the rows came from outside).
/// </summary>
public static class ImportCsv
{
    public static Task WriteRejectsAsync(IAsyncEnumerable<ImportRejectRow> rows, Stream output, CancellationToken cancellationToken = default) =>
        WriteAsync(["Line", "Column", "Reason", "Raw text"], rows,
            r => [r.LineNumber.ToString(CultureInfo.InvariantCulture), r.Column ?? "", r.Reason, r.RawText ?? ""], output, cancellationToken);

    public static Task WriteDuplicatesAsync(IAsyncEnumerable<ImportDuplicateRow> rows, Stream output, CancellationToken cancellationToken = default) =>
        WriteAsync(["Line", "Record key", "Kind", "First line", "Raw text"], rows,
            d => [d.LineNumber.ToString(CultureInfo.InvariantCulture), d.RecordKey, d.Kind.ToString(),
                d.FirstLineNumber?.ToString(CultureInfo.InvariantCulture) ?? "", d.RawText ?? ""], output, cancellationToken);

    /// <summary>One cell: neutralised, then quoted when it holds a comma, quote or line break.</summary>
    public static string Cell(string? value)
    {
        var text = CustomerExport.Neutralise(value);
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static async Task WriteAsync<T>(string[] header, IAsyncEnumerable<T> rows, Func<T, string[]> cells, Stream output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', header.Select(Cell)) + "\r\n");
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(',', cells(row).Select(Cell)) + "\r\n");
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }
}
