using System.Globalization;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>
/// Checks an audience before it is compiled or saved: every condition names a known field, an operator of that
/// field's kind and readable values; vehicle and relationship fields sit in a "has a vehicle where" block and only
/// there; template references resolve and do not loop. Problems name the condition ("Condition 2.1 (Model year at
/// least): ...") so the builder can point at it.
/// </summary>
public static class AudienceValidator
{
    /// <summary>
    /// The problems of a definition, empty when it is sound. <paramref name="templates"/>: the resolved templates
    /// (see <see cref="AudienceTemplates.ResolveAsync"/>); null skips the template checks (the editor's quick check).
    /// </summary>
    public static IReadOnlyList<string> Validate(AudienceDefinition definition, IReadOnlyDictionary<long, AudienceDefinition>? templates = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<string>();
        CheckGroup(definition.Root, "", problems, templates, []);
        return problems;
    }

    public static void ThrowIfInvalid(AudienceDefinition definition, IReadOnlyDictionary<long, AudienceDefinition>? templates = null)
    {
        var problems = Validate(definition, templates);
        if (problems.Count > 0)
        {
            throw new AudienceException(string.Join(" ", problems.Take(5)));
        }
    }

    /// <summary>The words a condition is named by in messages: its field and operator.</summary>
    public static string Describe(AudienceCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var field = AudienceFields.Find(condition.Field);
        return field is null ? $"'{condition.Field}'" : $"{field.Label} {AudienceFields.Describe(condition.Operator)}";
    }

    /// <summary>The problem with one condition's field, operator and values, or null (its place is checked by the caller).</summary>
    public static string? CheckCondition(AudienceCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var field = AudienceFields.Find(condition.Field);
        if (field is null)
        {
            return string.IsNullOrWhiteSpace(condition.Field) ? "choose a field." : $"there is no field '{condition.Field}'.";
        }

        if (!field.Operators.Contains(condition.Operator))
        {
            return $"'{AudienceFields.Describe(condition.Operator)}' does not apply to {field.Label}.";
        }

        var expected = AudienceFields.ValueCount(condition.Operator);
        var values = condition.Values ?? [];
        if (expected == -1 && values.Count == 0)
        {
            return "choose at least one value.";
        }

        if (expected >= 0 && values.Count != expected)
        {
            return expected == 2 ? "give both ends of the range." : expected == 0 ? "takes no value." : "give a value.";
        }

        foreach (var value in values)
        {
            if (AudienceValues.Problem(field, condition.Operator, value) is { } problem)
            {
                return problem;
            }
        }

        if (condition.Operator == AudienceOperator.Between && AudienceValues.RangeProblem(field, values[0], values[1]) is { } range)
        {
            return range;
        }

        return null;
    }

    private static void CheckGroup(AudienceGroup group, string path, List<string> problems,
        IReadOnlyDictionary<long, AudienceDefinition>? templates, HashSet<long> visiting)
    {
        for (var i = 0; i < group.Items.Count; i++)
        {
            var here = path.Length == 0 ? (i + 1).ToString(CultureInfo.InvariantCulture) : $"{path}.{i + 1}";
            switch (group.Items[i])
            {
                case AudienceGroup nested:
                    CheckGroup(nested, here, problems, templates, visiting);
                    break;
                case AudienceCondition condition:
                    var field = AudienceFields.Find(condition.Field);
                    var problem = CheckCondition(condition)
                        ?? (field is { OnRelationship: true } ? $"{field.Label} belongs in a \"has a vehicle where\" block." : null);
                    if (problem is not null)
                    {
                        problems.Add($"Condition {here} ({Describe(condition)}): {problem}");
                    }

                    break;
                case VehicleBlock block:
                    for (var j = 0; j < block.Conditions.Count; j++)
                    {
                        var inner = block.Conditions[j];
                        var innerField = AudienceFields.Find(inner.Field);
                        var innerProblem = CheckCondition(inner)
                            ?? (innerField is { OnRelationship: false } ? $"{innerField.Label} is not a vehicle or relationship field." : null);
                        if (innerProblem is not null)
                        {
                            problems.Add($"Condition {here}.{j + 1} ({Describe(inner)}): {innerProblem}");
                        }
                    }

                    break;
                case TemplateReference reference when templates is not null:
                    if (!templates.TryGetValue(reference.TemplateId, out var template))
                    {
                        problems.Add($"Condition {here}: saved audience {reference.TemplateId} does not exist or is not shared with you.");
                    }
                    else if (!visiting.Add(reference.TemplateId))
                    {
                        problems.Add($"Condition {here}: saved audience {reference.TemplateId} refers to itself.");
                    }
                    else if (visiting.Count > AudienceTemplates.MaxDepth)
                    {
                        problems.Add($"Condition {here}: saved audiences nest more than {AudienceTemplates.MaxDepth} deep.");
                        visiting.Remove(reference.TemplateId);
                    }
                    else
                    {
                        var before = problems.Count;
                        CheckGroup(template.Root, "", problems, templates, visiting);
                        for (var k = before; k < problems.Count; k++)
                        {
                            problems[k] = $"In saved audience {reference.TemplateId}: {problems[k]}";
                        }

                        visiting.Remove(reference.TemplateId);
                    }

                    break;
                case TemplateReference:
                    break;
                default:
                    problems.Add($"Condition {here}: unknown kind of condition.");
                    break;
            }
        }
    }
}

/// <summary>Reads condition values (invariant culture): whole numbers, ISO dates, enum names, record ids.</summary>
public static class AudienceValues
{
    public static int? WholeNumber(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;

    /// <summary>An enum value (by name, any case) or a record id, as the field's underlying type; null when unreadable.</summary>
    public static object? Choice(AudienceField field, string? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (value is null)
        {
            return null;
        }

        if (field.EnumType is { } enumType)
        {
            return Enum.TryParse(enumType, value, ignoreCase: true, out var parsed) && Enum.IsDefined(enumType, parsed!) && !int.TryParse(value, out _)
                ? parsed
                : null;
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>Whether the operator reads its value as a number of months (dates: in the last / more than N months ago).</summary>
    public static bool IsMonths(AudienceOperator op) => op is AudienceOperator.InLastMonths or AudienceOperator.MoreThanMonthsAgo;

    internal static string? Problem(AudienceField field, AudienceOperator op, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "give a value.";
        }

        switch (field.Kind)
        {
            case AudienceFieldKind.Number when WholeNumber(value) is null:
                return $"'{value}' is not a whole number.";
            case AudienceFieldKind.Number when WholeNumber(value) < 0 && field.AgeFromDate:
                return "an age cannot be negative.";
            case AudienceFieldKind.Date when IsMonths(op):
                return WholeNumber(value) is > 0 and <= 1200 ? null : $"'{value}' is not a number of months (1 to 1200).";
            case AudienceFieldKind.Date when Date(value) is null:
                return $"'{value}' is not a date (yyyy-mm-dd).";
            case AudienceFieldKind.Choice when Choice(field, value) is null:
                return $"'{value}' is not one of the choices.";
            case AudienceFieldKind.Text when value.Length > 200:
                return "the text is longer than 200 characters.";
            default:
                return null;
        }
    }

    internal static string? RangeProblem(AudienceField field, string from, string to) => field.Kind switch
    {
        AudienceFieldKind.Number when WholeNumber(from) > WholeNumber(to) => $"the range {from} to {to} is empty: the first value is the larger.",
        AudienceFieldKind.Date when Date(from) > Date(to) => $"the range {from} to {to} is empty: the first date is the later.",
        _ => null,
    };
}
