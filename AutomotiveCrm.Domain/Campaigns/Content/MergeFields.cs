using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Sending;
using Fluid;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>The groups of the merge-field picker.</summary>
public enum MergeFieldGroup
{
    Customer,
    Vehicle,
    Dealer,
    Relationship,
    Message,
}

/// <summary>One merge field: its Liquid path, a label for the picker, the usual fallback and the synthetic sample's value.</summary>
public sealed record MergeField(MergeFieldGroup Group, string Path, string Label, string Fallback, string Sample)
{
    /// <summary>The Liquid the picker inserts: the value, or the fallback when the customer has none.</summary>
    public string Liquid(string? fallback = null)
    {
        var text = (fallback ?? Fallback).Replace("\"", "'", StringComparison.Ordinal).Trim();
        return text.Length == 0 ? $"{{{{ {Path} }}}}" : $"{{{{ {Path} | default: \"{text}\" }}}}";
    }
}

/// <summary>
/// The merge fields campaign content may use (customer, vehicle, dealer, relationship, and the unsubscribe link), the
/// values they take for one recipient, and a synthetic sample recipient for users who must not see real customers.
/// The vehicle and relationship are the customer's most recent current relationship; the dealer is the one the
/// message speaks for.
/// </summary>
public static class MergeFields
{
    public static IReadOnlyList<MergeField> All { get; } =
    [
        new(MergeFieldGroup.Customer, "customer.title", "Title", "", "Ms"),
        new(MergeFieldGroup.Customer, "customer.first_name", "First name", "Customer", "Jordan"),
        new(MergeFieldGroup.Customer, "customer.last_name", "Last name", "", "Sample"),
        new(MergeFieldGroup.Customer, "customer.full_name", "Full name", "Customer", "Jordan Sample"),
        new(MergeFieldGroup.Customer, "customer.company_name", "Company name", "", "Sample Fleet Ltd"),
        new(MergeFieldGroup.Customer, "customer.email", "E-mail address", "", "jordan.sample@example.com"),
        new(MergeFieldGroup.Vehicle, "vehicle.make", "Make", "your car", "Volkswagen"),
        new(MergeFieldGroup.Vehicle, "vehicle.model", "Model", "vehicle", "Golf"),
        new(MergeFieldGroup.Vehicle, "vehicle.derivative", "Derivative", "", "1.5 TSI Life"),
        new(MergeFieldGroup.Vehicle, "vehicle.registration", "Registration", "", "AB21 CDE"),
        new(MergeFieldGroup.Vehicle, "vehicle.colour", "Colour", "", "Moonstone Grey"),
        new(MergeFieldGroup.Vehicle, "vehicle.first_registered", "First registered", "", "2021-03-01"),
        new(MergeFieldGroup.Dealer, "dealer.name", "Name", "your dealer", "Northgate Motors"),
        new(MergeFieldGroup.Dealer, "dealer.phone", "Phone", "", "+44 20 7946 0000"),
        new(MergeFieldGroup.Dealer, "dealer.email", "E-mail address", "", "service@northgate.example"),
        new(MergeFieldGroup.Dealer, "dealer.address", "Address", "", "1 High Street"),
        new(MergeFieldGroup.Dealer, "dealer.city", "City", "", "London"),
        new(MergeFieldGroup.Dealer, "dealer.postcode", "Postcode", "", "N1 1AA"),
        new(MergeFieldGroup.Relationship, "relationship.type", "Relationship (Selling, Servicing ...)", "", "Servicing"),
        new(MergeFieldGroup.Relationship, "relationship.since", "Customer since", "", "2021-03-05"),
        new(MergeFieldGroup.Relationship, "relationship.dealer", "Dealer of the relationship", "us", "Northgate Motors"),
        new(MergeFieldGroup.Relationship, "relationship.payment_method", "Payment method", "", "Finance"),
        new(MergeFieldGroup.Message, CampaignEmailTemplate.UnsubscribeField, "Unsubscribe link", "", "https://crm.example/u/sample"),
    ];

    private static readonly Dictionary<string, MergeField> ByPath = All.ToDictionary(f => f.Path, StringComparer.Ordinal);

    public static bool IsKnown(string path) => ByPath.ContainsKey(path);

    public static MergeField? Find(string path) => ByPath.GetValueOrDefault(path);

    /// <summary>The synthetic sample recipient: realistic values that belong to nobody.</summary>
    public static MergeData Sample { get; } = new(
        new MergeCustomer("Ms", "Jordan", "Sample", "Sample Fleet Ltd", "jordan.sample@example.com"),
        new MergeVehicle("Volkswagen", "Golf", "1.5 TSI Life", "AB21 CDE", "Moonstone Grey", new DateOnly(2021, 3, 1)),
        new MergeDealer("Northgate Motors", "+44 20 7946 0000", "service@northgate.example", "1 High Street", "London", "N1 1AA"),
        new MergeRelationship("Servicing", new DateOnly(2021, 3, 5), "Northgate Motors", "Finance"));

    /// <summary>The Liquid context of one recipient (values missing or blank are null, so <c>| default:</c> applies).</summary>
    public static TemplateContext Context(MergeData data, string unsubscribeUrl, TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var c = data.Customer;
        var fullName = string.Join(' ', new[] { c.FirstName, c.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var context = new TemplateContext(options);
        context.SetValue("customer", new Dictionary<string, object?>
        {
            ["title"] = Blank(c.Title),
            ["first_name"] = Blank(c.FirstName),
            ["last_name"] = Blank(c.LastName),
            ["full_name"] = Blank(fullName),
            ["company_name"] = Blank(c.CompanyName),
            ["email"] = Blank(c.Email),
        });
        var v = data.Vehicle;
        context.SetValue("vehicle", new Dictionary<string, object?>
        {
            ["make"] = Blank(v?.Make),
            ["model"] = Blank(v?.Model),
            ["derivative"] = Blank(v?.Derivative),
            ["registration"] = Blank(v?.Registration),
            ["colour"] = Blank(v?.Colour),
            ["first_registered"] = v?.FirstRegistered?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        var d = data.Dealer;
        context.SetValue("dealer", new Dictionary<string, object?>
        {
            ["name"] = Blank(d?.Name),
            ["phone"] = Blank(d?.Phone),
            ["email"] = Blank(d?.Email),
            ["address"] = Blank(d?.AddressLine1),
            ["city"] = Blank(d?.City),
            ["postcode"] = Blank(d?.Postcode),
        });
        var r = data.Relationship;
        context.SetValue("relationship", new Dictionary<string, object?>
        {
            ["type"] = Blank(r?.Type),
            ["since"] = r?.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dealer"] = Blank(r?.DealerName),
            ["payment_method"] = Blank(r?.PaymentMethod),
        });
        context.SetValue(CampaignEmailTemplate.UnsubscribeField, unsubscribeUrl);
        return context;
    }

    // An empty value must fall back to the default like a missing one: Liquid's default filter treats "" as empty,
    // but whitespace-only names from imports would otherwise print as nothing.
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
