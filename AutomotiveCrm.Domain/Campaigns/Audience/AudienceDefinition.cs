using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>How the items of a group combine.</summary>
public enum AudienceJoin
{
    /// <summary>Every item must hold (AND).</summary>
    All,
    /// <summary>At least one item must hold (OR).</summary>
    Any,
}

/// <summary>Which of the customer's relationships a "has a vehicle where ..." block looks at.</summary>
public enum VehicleOwnership
{
    /// <summary>Relationships that still hold (no end date): the vehicles the customer has now. The default.</summary>
    Current,
    /// <summary>Relationships that ended: vehicles the customer had.</summary>
    Ended,
    /// <summary>Any relationship, current or ended.</summary>
    Any,
}

/// <summary>The operators of the builder; which apply to a field depends on its kind (see <see cref="AudienceFieldKind"/>).</summary>
public enum AudienceOperator
{
    Is,
    IsNot,
    Contains,
    StartsWith,
    IsEmpty,
    IsNotEmpty,
    Equals,
    Between,
    AtLeast,
    AtMost,
    /// <summary>Dates: within the last N months, up to today.</summary>
    InLastMonths,
    /// <summary>Dates: earlier than N months ago.</summary>
    MoreThanMonthsAgo,
    AnyOf,
    NoneOf,
    /// <summary>Yes/no fields (consent opted in, relationship current).</summary>
    IsTrue,
    IsFalse,
}

/// <summary>
/// An audience: a tree of AND/OR groups over customer fields, "has a vehicle where ..." blocks and references to saved
/// templates. Stored as JSON in <see cref="Campaign.AudienceJson"/> and <see cref="AudienceTemplate.FilterJson"/>;
/// <see cref="Version"/> lets a later shape be read next to this one.
/// </summary>
public sealed class AudienceDefinition
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Version { get; set; } = CurrentVersion;

    public AudienceGroup Root { get; set; } = new();

    /// <summary>An audience with no conditions: everyone the campaign's owner may reach.</summary>
    public static AudienceDefinition Everyone() => new();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads stored JSON; an empty text is the empty audience. Throws <see cref="AudienceException"/> on bad JSON.</summary>
    public static AudienceDefinition FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Everyone();
        }

        AudienceDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<AudienceDefinition>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new AudienceException($"The audience is not readable: {ex.Message}");
        }

        if (definition is null)
        {
            return Everyone();
        }

        if (definition.Version is < 1 or > CurrentVersion)
        {
            throw new AudienceException($"The audience was saved in format version {definition.Version}, which this version does not read.");
        }

        definition.Root ??= new AudienceGroup();
        return definition;
    }

    /// <summary>A deep copy (through JSON): the editor works on a copy and saves it back.</summary>
    public AudienceDefinition Clone() => FromJson(ToJson());
}

/// <summary>One node of the tree.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(AudienceGroup), "group")]
[JsonDerivedType(typeof(AudienceCondition), "condition")]
[JsonDerivedType(typeof(VehicleBlock), "vehicle")]
[JsonDerivedType(typeof(TemplateReference), "template")]
public abstract class AudienceNode
{
}

/// <summary>A nested AND/OR group. An empty group holds for everyone.</summary>
public sealed class AudienceGroup : AudienceNode
{
    public AudienceJoin Join { get; set; } = AudienceJoin.All;

    /// <summary>Leave out the customers the group matches ("not").</summary>
    public bool Exclude { get; set; }

    public List<AudienceNode> Items { get; set; } = [];
}

/// <summary>
/// One condition: a field of the catalogue (<see cref="AudienceFields"/>), an operator and its values, written in
/// invariant culture (numbers "12", dates "2024-05-31", choices by enum name or id).
/// </summary>
public sealed class AudienceCondition : AudienceNode
{
    public string Field { get; set; } = "";

    public AudienceOperator Operator { get; set; }

    public List<string> Values { get; set; } = [];
}

/// <summary>
/// "Has a vehicle where ...": every condition in the block holds for the same relationship (and so the same vehicle
/// and dealer); vehicle and relationship fields only.
/// </summary>
public sealed class VehicleBlock : AudienceNode
{
    public VehicleOwnership Ownership { get; set; } = VehicleOwnership.Current;

    public AudienceJoin Join { get; set; } = AudienceJoin.All;

    /// <summary>"Has no vehicle where ...".</summary>
    public bool Exclude { get; set; }

    public List<AudienceCondition> Conditions { get; set; } = [];
}

/// <summary>"In saved audience X": the template's tree, evaluated as if written here.</summary>
public sealed class TemplateReference : AudienceNode
{
    public long TemplateId { get; set; }

    /// <summary>"Not in saved audience X".</summary>
    public bool Exclude { get; set; }
}

/// <summary>An audience that cannot be compiled: the message names the condition and says what is wrong.</summary>
public sealed class AudienceException(string message) : Common.DomainException(message);
