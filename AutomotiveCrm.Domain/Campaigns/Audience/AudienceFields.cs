using System.Linq.Expressions;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>The entity a field belongs to: the builder's field picker groups by it.</summary>
public enum AudienceEntity
{
    Customer,
    Vehicle,
    Relationship,
    Consent,
}

/// <summary>What a field holds; it decides the operators and how values are read.</summary>
public enum AudienceFieldKind
{
    Text,
    Number,
    Date,
    /// <summary>One of a fixed list (an enum) or of the organisation's records (brands, dealers: values are ids).</summary>
    Choice,
    YesNo,
}

/// <summary>Where the choices of a <see cref="AudienceFieldKind.Choice"/> field come from.</summary>
public enum ChoiceSource
{
    /// <summary>The names of <see cref="AudienceField.EnumType"/>.</summary>
    Enum,
    /// <summary>The network's brands (values are brand ids).</summary>
    Brands,
    /// <summary>The dealers the user can see (values are dealer ids).</summary>
    Dealers,
}

/// <summary>
/// One field of the catalogue. <see cref="Selector"/> reads it from the field's root: a <see cref="Customer"/> for
/// customer and consent fields, a <see cref="Relationship"/> (with its vehicle) for vehicle and relationship fields,
/// which only appear inside a "has a vehicle where ..." block (a lone one is read as a block of one).
/// </summary>
public sealed record AudienceField(
    string Key,
    string Label,
    AudienceEntity Entity,
    AudienceFieldKind Kind,
    LambdaExpression Selector,
    Type? EnumType = null,
    ChoiceSource Choices = ChoiceSource.Enum,
    /// <summary>Number fields computed from a date (age from date of birth): compiled into date ranges on that date.</summary>
    bool AgeFromDate = false,
    /// <summary>Consent fields: the channel whose current Marketing opt-in the field tells.</summary>
    ConsentChannel? Consent = null)
{
    /// <summary>Vehicle and relationship fields hang off a relationship.</summary>
    public bool OnRelationship => Entity is AudienceEntity.Vehicle or AudienceEntity.Relationship;

    public IReadOnlyList<AudienceOperator> Operators => AudienceFields.OperatorsFor(Kind);
}

/// <summary>The builder's field catalogue, grouped by entity, and the operators each kind of field offers.</summary>
public static class AudienceFields
{
    private static readonly AudienceOperator[] TextOperators =
        [AudienceOperator.Is, AudienceOperator.IsNot, AudienceOperator.Contains, AudienceOperator.StartsWith, AudienceOperator.IsEmpty, AudienceOperator.IsNotEmpty];

    private static readonly AudienceOperator[] NumberOperators =
        [AudienceOperator.Equals, AudienceOperator.Between, AudienceOperator.AtLeast, AudienceOperator.AtMost, AudienceOperator.IsEmpty, AudienceOperator.IsNotEmpty];

    private static readonly AudienceOperator[] DateOperators =
        [AudienceOperator.Equals, AudienceOperator.Between, AudienceOperator.AtLeast, AudienceOperator.AtMost,
         AudienceOperator.InLastMonths, AudienceOperator.MoreThanMonthsAgo, AudienceOperator.IsEmpty, AudienceOperator.IsNotEmpty];

    private static readonly AudienceOperator[] ChoiceOperators =
        [AudienceOperator.AnyOf, AudienceOperator.NoneOf, AudienceOperator.IsEmpty, AudienceOperator.IsNotEmpty];

    private static readonly AudienceOperator[] YesNoOperators = [AudienceOperator.IsTrue, AudienceOperator.IsFalse];

    public static IReadOnlyList<AudienceField> All { get; } =
    [
        Customer("customer.firstName", "First name", AudienceFieldKind.Text, c => c.FirstName),
        Customer("customer.lastName", "Last name", AudienceFieldKind.Text, c => c.LastName),
        Customer("customer.companyName", "Company name", AudienceFieldKind.Text, c => c.CompanyName),
        Customer("customer.buyerType", "Buyer type", AudienceFieldKind.Choice, c => c.BuyerType, typeof(BuyerType)),
        Customer("customer.dateOfBirth", "Date of birth", AudienceFieldKind.Date, c => c.DateOfBirth),
        Customer("customer.age", "Age (years)", AudienceFieldKind.Number, c => c.DateOfBirth) with { AgeFromDate = true },
        Customer("customer.postcode", "Postcode", AudienceFieldKind.Text,
            c => c.Addresses.Where(a => a.IsPrimary).Select(a => a.Postcode).FirstOrDefault()),
        Customer("customer.city", "City", AudienceFieldKind.Text,
            c => c.Addresses.Where(a => a.IsPrimary).Select(a => a.City).FirstOrDefault()),
        Customer("customer.country", "Country (ISO code)", AudienceFieldKind.Text,
            c => c.Addresses.Where(a => a.IsPrimary).Select(a => a.CountryCode).FirstOrDefault()),
        Customer("customer.hasEmail", "Has an e-mail address", AudienceFieldKind.YesNo, c => c.Emails.Any()),
        Customer("customer.hasMobile", "Has a mobile number", AudienceFieldKind.YesNo, c => c.Phones.Any(p => p.Kind == PhoneKind.Mobile)),
        Customer("customer.paymentMethod", "Payment method", AudienceFieldKind.Choice, c => c.PaymentMethod, typeof(PaymentMethod)),
        Customer("customer.insuredAccidents", "Insured accidents", AudienceFieldKind.Number, c => c.InsuredAccidents),
        Customer("customer.source", "Source", AudienceFieldKind.Choice, c => c.Source, typeof(CustomerSource)),
        Customer("customer.responsibleDealer", "Responsible dealer", AudienceFieldKind.Choice, c => c.ResponsibleDealerId) with { Choices = ChoiceSource.Dealers },
        Customer("customer.createdAt", "Created", AudienceFieldKind.Date, c => c.CreatedAt),

        OnVehicle("vehicle.brand", "Brand", AudienceFieldKind.Choice, r => r.Vehicle!.BrandId) with { Choices = ChoiceSource.Brands },
        OnVehicle("vehicle.make", "Make (as text)", AudienceFieldKind.Text, r => r.Vehicle!.Make),
        OnVehicle("vehicle.model", "Model", AudienceFieldKind.Text, r => r.Vehicle!.Model),
        OnVehicle("vehicle.bodyType", "Body type", AudienceFieldKind.Choice, r => r.Vehicle!.BodyType, typeof(BodyType)),
        OnVehicle("vehicle.fuel", "Fuel", AudienceFieldKind.Choice, r => r.Vehicle!.FuelType, typeof(FuelType)),
        OnVehicle("vehicle.transmission", "Transmission", AudienceFieldKind.Choice, r => r.Vehicle!.Transmission, typeof(Transmission)),
        OnVehicle("vehicle.colour", "Colour", AudienceFieldKind.Text, r => r.Vehicle!.Colour),
        OnVehicle("vehicle.modelYear", "Model year", AudienceFieldKind.Number, r => r.Vehicle!.ModelYear),
        OnVehicle("vehicle.firstRegistration", "First registration", AudienceFieldKind.Date, r => r.Vehicle!.FirstRegistrationDate),
        OnVehicle("vehicle.age", "Vehicle age (years)", AudienceFieldKind.Number, r => r.Vehicle!.FirstRegistrationDate) with { AgeFromDate = true },
        // The latest reading, in the unit it was read in (the network's market decides the unit in practice).
        OnVehicle("vehicle.mileage", "Current mileage", AudienceFieldKind.Number,
            r => r.Vehicle!.MileageReadings.OrderByDescending(m => m.ReadOn).ThenByDescending(m => m.Id).Select(m => (int?)m.Value).FirstOrDefault()),

        OnRelationship("relationship.type", "Relationship type", AudienceFieldKind.Choice, r => r.Type, typeof(RelationshipType)),
        OnRelationship("relationship.dealer", "Dealer", AudienceFieldKind.Choice, r => r.DealerId) with { Choices = ChoiceSource.Dealers },
        OnRelationship("relationship.startDate", "Relationship start", AudienceFieldKind.Date, r => r.StartDate),
        OnRelationship("relationship.endDate", "Relationship end", AudienceFieldKind.Date, r => r.EndDate),
        OnRelationship("relationship.current", "Relationship is current", AudienceFieldKind.YesNo, r => r.EndDate == null),

        ConsentField("consent.email", "E-mail marketing opt-in", ConsentChannel.Email),
        ConsentField("consent.sms", "SMS marketing opt-in", ConsentChannel.Sms),
        ConsentField("consent.post", "Post marketing opt-in", ConsentChannel.Post),
        ConsentField("consent.phone", "Phone marketing opt-in", ConsentChannel.Phone),
    ];

    private static readonly Dictionary<string, AudienceField> ByKey = All.ToDictionary(f => f.Key, StringComparer.Ordinal);

    public static AudienceField? Find(string? key) => key is not null && ByKey.TryGetValue(key, out var field) ? field : null;

    public static IReadOnlyList<AudienceOperator> OperatorsFor(AudienceFieldKind kind) => kind switch
    {
        AudienceFieldKind.Text => TextOperators,
        AudienceFieldKind.Number => NumberOperators,
        AudienceFieldKind.Date => DateOperators,
        AudienceFieldKind.Choice => ChoiceOperators,
        AudienceFieldKind.YesNo => YesNoOperators,
        _ => [],
    };

    /// <summary>How many values an operator takes: 0, 1, 2 (a range) or -1 (one or more).</summary>
    public static int ValueCount(AudienceOperator op) => op switch
    {
        AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty or AudienceOperator.IsTrue or AudienceOperator.IsFalse => 0,
        AudienceOperator.Between => 2,
        AudienceOperator.AnyOf or AudienceOperator.NoneOf => -1,
        _ => 1,
    };

    /// <summary>The words the builder shows for an operator.</summary>
    public static string Describe(AudienceOperator op) => op switch
    {
        AudienceOperator.Is => "is",
        AudienceOperator.IsNot => "is not",
        AudienceOperator.Contains => "contains",
        AudienceOperator.StartsWith => "starts with",
        AudienceOperator.IsEmpty => "is empty",
        AudienceOperator.IsNotEmpty => "is not empty",
        AudienceOperator.Equals => "equals",
        AudienceOperator.Between => "between",
        AudienceOperator.AtLeast => "at least",
        AudienceOperator.AtMost => "at most",
        AudienceOperator.InLastMonths => "in the last N months",
        AudienceOperator.MoreThanMonthsAgo => "more than N months ago",
        AudienceOperator.AnyOf => "is any of",
        AudienceOperator.NoneOf => "is none of",
        AudienceOperator.IsTrue => "yes",
        AudienceOperator.IsFalse => "no",
        _ => op.ToString(),
    };

    private static AudienceField Customer<T>(string key, string label, AudienceFieldKind kind, Expression<Func<Customer, T>> selector, Type? enumType = null) =>
        new(key, label, AudienceEntity.Customer, kind, selector, enumType);

    private static AudienceField OnVehicle<T>(string key, string label, AudienceFieldKind kind, Expression<Func<Relationship, T>> selector, Type? enumType = null) =>
        new(key, label, AudienceEntity.Vehicle, kind, selector, enumType);

    private static AudienceField OnRelationship<T>(string key, string label, AudienceFieldKind kind, Expression<Func<Relationship, T>> selector, Type? enumType = null) =>
        new(key, label, AudienceEntity.Relationship, kind, selector, enumType);

    // The selector is unused (consent is compiled by AudienceQuery, mirroring ConsentState); kept non-null for uniformity.
    private static AudienceField ConsentField(string key, string label, ConsentChannel channel) =>
        new(key, label, AudienceEntity.Consent, AudienceFieldKind.YesNo, (Expression<Func<Customer, bool>>)(_ => true), Consent: channel);
}
