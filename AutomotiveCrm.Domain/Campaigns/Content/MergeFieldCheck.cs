using System.Text.RegularExpressions;
using Fluid;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>How bad a merge-field finding is: errors stop a save and a schedule, warnings are shown.</summary>
public enum MergeFieldSeverity
{
    Warning,
    Error,
}

/// <summary>One finding in one part of the content (subject, HTML body, SMS text ...).</summary>
public sealed record MergeFieldProblem(string Part, MergeFieldSeverity Severity, string Message, string? Field = null)
{
    public override string ToString() => $"{Part}: {Message}";
}

/// <summary>
/// Finds merge fields that would not resolve before content is saved or scheduled: Liquid that does not parse (an
/// unclosed <c>{{</c>, a stray <c>}}</c>), fields that are not in <see cref="MergeFields"/> (a typo such as
/// <c>customer.frist_name</c> would print nothing for every recipient), and, as warnings, fields without a
/// fallback that many customers lack.
/// </summary>
public static partial class MergeFieldCheck
{
    private static readonly FluidParser Parser = new();

    /// <summary>Fields every recipient has (no fallback needed).</summary>
    private static readonly HashSet<string> AlwaysPresent = new(StringComparer.Ordinal) { Sending.CampaignEmailTemplate.UnsubscribeField, "customer.email" };

    public static IReadOnlyList<MergeFieldProblem> Check(string part, string? source)
    {
        ArgumentNullException.ThrowIfNull(part);
        var problems = new List<MergeFieldProblem>();
        if (string.IsNullOrEmpty(source))
        {
            return problems;
        }

        if (!Parser.TryParse(source, out _, out var error))
        {
            problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Error, $"the merge fields do not parse: {error}"));
        }

        var open = Opening().Count(source);
        var closed = Output().Count(source);
        if (open > closed)
        {
            problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Error, "a merge field is opened with {{ but never closed with }}."));
        }

        foreach (Match match in Output().Matches(source))
        {
            var inner = match.Groups["inner"].Value;
            var path = Path().Match(inner);
            if (!path.Success)
            {
                if (inner.Trim().Length == 0)
                {
                    problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Error, "an empty merge field {{ }}."));
                }

                continue;
            }

            var field = path.Value;
            if (!MergeFields.IsKnown(field))
            {
                var hint = Suggest(field);
                problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Error,
                    $"'{field}' is not a merge field{(hint is null ? "" : $" (did you mean '{hint}'?)")}.", field));
                continue;
            }

            if (!AlwaysPresent.Contains(field) && !DefaultFilter().IsMatch(inner))
            {
                problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Warning,
                    $"'{field}' has no fallback: customers without it get an empty gap (add | default: \"...\").", field));
            }
        }

        foreach (Match tag in Tag().Matches(source))
        {
            foreach (Match variable in TagVariable().Matches(tag.Groups["inner"].Value))
            {
                var name = variable.Value;
                if (name.Contains('.', StringComparison.Ordinal) && !MergeFields.IsKnown(name))
                {
                    problems.Add(new MergeFieldProblem(part, MergeFieldSeverity.Error, $"'{name}' is not a merge field.", name));
                }
            }
        }

        return problems;
    }

    public static bool HasErrors(IEnumerable<MergeFieldProblem> problems) => problems.Any(p => p.Severity == MergeFieldSeverity.Error);

    /// <summary>The known field closest to a misspelt one (edit distance at most 3), if any.</summary>
    public static string? Suggest(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return MergeFields.All
            .Select(f => (f.Path, Distance: Distance(f.Path, field)))
            .Where(x => x.Distance <= 3)
            .OrderBy(x => x.Distance)
            .Select(x => x.Path)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"\{\{")]
    private static partial Regex Opening();

    [GeneratedRegex(@"\{\{(?<inner>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Output();

    [GeneratedRegex(@"\{%(?<inner>.*?)%\}", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<=^\s*-?\s*)[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")]
    private static partial Regex Path();

    [GeneratedRegex(@"\|\s*default\s*:")]
    private static partial Regex DefaultFilter();

    // Dotted names in tags (if / unless / elsif conditions); keywords and literals have no dot.
    [GeneratedRegex(@"(?<![""'\w.])[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")]
    private static partial Regex TagVariable();
}
