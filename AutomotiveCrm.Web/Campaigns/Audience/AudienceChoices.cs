namespace AutomotiveCrm.Web.Campaigns.Audience;

/// <summary>An option of a choice list: a record id (or enum name) and what the user reads.</summary>
public sealed record ChoiceOption(string Value, string Label);

/// <summary>The organisation's records the builder offers: brands, the dealers in sight, the saved audiences usable.</summary>
public sealed record AudienceChoices(IReadOnlyList<ChoiceOption> Brands, IReadOnlyList<ChoiceOption> Dealers, IReadOnlyList<ChoiceOption> Templates)
{
    public static AudienceChoices None { get; } = new([], [], []);
}
