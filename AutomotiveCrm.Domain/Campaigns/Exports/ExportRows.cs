using PhoneNumbers;

namespace AutomotiveCrm.Domain.Campaigns.Exports;

/// <summary>One address label: the customer, the raw address and its lines as the destination's post lays them out.</summary>
public sealed record LabelRow(long CustomerId, PostalAddress Address, IReadOnlyList<string> Lines);

/// <summary>The labels of an audience in print order (by postcode), and how many customers had no postal address.</summary>
public sealed record LabelSet(IReadOnlyList<LabelRow> Labels, int SkippedWithoutAddress);

/// <summary>
/// One line of a call ("attack") list. <see cref="Phones"/> lists every number, the primary first, each with its kind.
/// There is no salesperson column: the model has no salesperson on customers, relationships or sales.
/// </summary>
public sealed record CallListRow(
    long CustomerId,
    string Customer,
    string Phones,
    string? Vehicle,
    DateOnly? LastService,
    string? ResponsibleDealer,
    bool PhoneMarketingConsent);

/// <summary>What a caller records after a call: the call list's outcome column offers exactly these.</summary>
public static class CallOutcomes
{
    public static IReadOnlyList<string> All { get; } =
        ["Reached - interested", "Reached - not interested", "No answer", "Wrong number", "Call back"];
}

/// <summary>Telephone numbers as a caller reads them: E.164 stored, international format shown (+44 7700 900123).</summary>
public static class PhoneDisplay
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string Format(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        try
        {
            return Util.Format(Util.Parse(number, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return number;
        }
    }
}
