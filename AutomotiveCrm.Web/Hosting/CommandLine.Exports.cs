using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Web.Campaigns.Exports;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The export benchmarks: <c>bench labels</c> and <c>bench calllist</c>.</summary>
public static partial class CommandLine
{
    /// <summary>
    /// <c>bench labels [--count N] [--sheet SHEET] [--output PATH]</c>: N labels (default 10000) formatted, sorted and
    /// written as a PDF; the file is deleted afterwards unless --output names where to keep it.
    /// </summary>
    private static async Task<int> BenchLabelsAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var count = parsed.Int("--count", 10_000, min: 1, max: 1_000_000);
        var sheetText = parsed.Value("--sheet");
        var sheet = sheetText is null ? LabelSheet.A4ThreeBySeven
            : CampaignExportEndpoints.ParseSheet(sheetText) ?? throw new UsageException($"--sheet '{sheetText}' is not a label sheet: use {string.Join(", ", Enum.GetNames<LabelSheet>())}.");
        var output = parsed.Value("--output");
        parsed.EnsureOnly(positionals: 1);
        var path = output is null ? Path.Combine(Path.GetTempPath(), $"crm-bench-labels-{Guid.NewGuid():N}.pdf") : Path.GetFullPath(output);
        try
        {
            await stderr.WriteLineAsync($"Writing {count:N0} labels ({sheet}) to {path} ...");
            var result = ExportBenchmark.Labels(count, sheet, path);
            await stdout.WriteLineAsync(result.ToJson());
            return Ok;
        }
        finally
        {
            if (output is null)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// <c>bench calllist [--rows N] [--writer streamed|styled] [--output PATH]</c>: a call list of N rows (default
    /// 100000) written as a workbook, streamed (OpenXmlWriter, the default) or styled (ClosedXML).
    /// </summary>
    private static async Task<int> BenchCallListAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var rows = parsed.Int("--rows", 100_000, min: 1, max: 5_000_000);
        var writer = parsed.Value("--writer") ?? "streamed";
        if (writer is not ("streamed" or "styled"))
        {
            throw new UsageException($"--writer '{writer}' is not a writer: use streamed or styled.");
        }

        var output = parsed.Value("--output");
        parsed.EnsureOnly(positionals: 1);
        var path = output is null ? Path.Combine(Path.GetTempPath(), $"crm-bench-calllist-{Guid.NewGuid():N}.xlsx") : Path.GetFullPath(output);
        try
        {
            await stderr.WriteLineAsync($"Writing a call list of {rows:N0} rows ({writer}) to {path} ...");
            var result = await ExportBenchmark.CallListAsync(rows, writer == "styled", path, cancellationToken);
            await stdout.WriteLineAsync(result.ToJson());
            return Ok;
        }
        finally
        {
            if (output is null)
            {
                File.Delete(path);
            }
        }
    }
}
