namespace AutomotiveCrm.Domain.Imports;

/// <summary>How a canonical field's text is checked and normalised before it is staged.</summary>
public enum DmsFieldKind
{
    Text,
    /// <summary>A record id of the DMS: trimmed, at most 200 characters, no control characters.</summary>
    Key,
    /// <summary>A date in the profile's date format, staged as yyyy-MM-dd.</summary>
    Date,
    /// <summary>A date and time (profile date format + " HH:mm", or ISO 8601), staged as yyyy-MM-ddTHH:mm:ss.</summary>
    DateTime,
    WholeNumber,
    /// <summary>A decimal in the profile's number format, staged with "." as separator.</summary>
    Number,
    /// <summary>17 characters, no I/O/Q; a bad check digit is kept (a warning), a malformed VIN is a rejection.</summary>
    Vin,
    Email,
    /// <summary>Normalised to E.164 with the row's (or the dealer's) country; unparseable numbers are rejected.</summary>
    Phone,
    /// <summary>ISO 3166-1 alpha-2 (upper case).</summary>
    Country,
    /// <summary>One of <see cref="DmsField.AllowedValues"/> (case-insensitive; the profile may map synonyms).</summary>
    Choice,
    /// <summary>Y/N, yes/no, true/false, 1/0: staged as "true"/"false".</summary>
    Flag,
}

/// <summary>One canonical field of a DMS file type.</summary>
public sealed record DmsField(string Name, DmsFieldKind Kind, bool Required, int MaxLength, string Description)
{
    public IReadOnlyList<string> AllowedValues { get; init; } = [];
}

/// <summary>The canonical layout of one file type: its fields, and which one is the record key.</summary>
public sealed record DmsFileSpec(ImportFileType FileType, string KeyField, IReadOnlyList<DmsField> Fields, string Description)
{
    public DmsField? Find(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The canonical column specification of every DMS file type (documented for providers in docs/imports/). Import
/// profiles map a provider's columns onto these fields; validation, staging and the merge work on these names only.
/// </summary>
public static class DmsFileSpecs
{
    private static DmsField Key(string name, string description) => new(name, DmsFieldKind.Key, true, 200, description);
    private static DmsField Ref(string name, string description) => new(name, DmsFieldKind.Key, false, 200, description);
    private static DmsField Text(string name, int max, string description, bool required = false) => new(name, DmsFieldKind.Text, required, max, description);
    private static DmsField Date(string name, string description, bool required = false) => new(name, DmsFieldKind.Date, required, 10, description);
    private static DmsField Int(string name, string description) => new(name, DmsFieldKind.WholeNumber, false, 12, description);
    private static DmsField Money(string name, string description, bool required = false) => new(name, DmsFieldKind.Number, required, 20, description);
    private static DmsField Choice(string name, string description, params string[] values) =>
        new(name, DmsFieldKind.Choice, false, 32, description) { AllowedValues = values };

    private static readonly string[] BodyTypes = ["Coupe", "Saloon", "Hatchback", "Estate", "Suv", "Mpv", "Convertible", "Van", "Pickup"];
    private static readonly string[] FuelTypes = ["Petrol", "Diesel", "Hybrid", "PluginHybrid", "Electric", "Lpg", "Hydrogen", "Other"];
    private static readonly string[] PaymentMethods = ["Cash", "Finance", "Lease", "TradeInDeal"];

    private static readonly DmsField[] VehicleIdentity =
    [
        new("vin", DmsFieldKind.Vin, false, 17, "Vehicle identification number (17 characters)."),
        Text("registration", 16, "Registration plate as printed."),
        Text("make", 50, "Make (brand) name."),
        Text("model", 80, "Model name."),
    ];

    public static DmsFileSpec Customers { get; } = new(ImportFileType.Customers, "customer_id",
    [
        Key("customer_id", "The DMS customer number: the record key, unique per dealer."),
        Choice("buyer_type", "Person (default) or Company.", "Person", "Company"),
        Text("title", 20, "Mr, Mrs, Dr ..."),
        Text("first_name", 100, "Given name (of the contact person for a company)."),
        Text("middle_name", 100, "Middle name(s)."),
        Text("last_name", 100, "Family name; required for a person."),
        Text("company_name", 200, "Company name; required for a company."),
        Date("date_of_birth", "Date of birth."),
        Text("address_line1", 200, "Street and number."),
        Text("address_line2", 200, "Second address line."),
        Text("city", 100, "Town or city."),
        Text("region", 100, "County, state or region."),
        Text("postcode", 16, "Postal code."),
        new("country", DmsFieldKind.Country, false, 2, "ISO 3166-1 alpha-2; the dealer's country when empty."),
        new("email", DmsFieldKind.Email, false, 254, "E-mail address."),
        new("phone_mobile", DmsFieldKind.Phone, false, 32, "Mobile phone number."),
        new("phone_home", DmsFieldKind.Phone, false, 32, "Home phone number."),
        new("phone_work", DmsFieldKind.Phone, false, 32, "Work phone number."),
        Choice("payment_method", "Payment method of the last purchase.", PaymentMethods),
        Int("insured_accidents", "Number of insured accidents reported."),
    ], "One row per customer of the dealer.");

    public static DmsFileSpec Vehicles { get; } = new(ImportFileType.Vehicles, "vehicle_id",
    [
        Key("vehicle_id", "The DMS vehicle number: the record key, unique per dealer."),
        .. VehicleIdentity,
        Text("derivative", 120, "Derivative / trim."),
        Choice("body_type", "Body type.", BodyTypes),
        Choice("fuel_type", "Fuel.", FuelTypes),
        Choice("transmission", "Manual or Automatic.", "Manual", "Automatic"),
        Text("colour", 40, "Colour."),
        Int("model_year", "Model year (four digits)."),
        Date("first_registration_date", "Date of first registration."),
        Int("mileage", "Last known odometer reading."),
        Date("mileage_date", "Date of that reading."),
        Choice("mileage_unit", "Kilometres (default) or Miles.", "Kilometres", "Miles"),
    ], "One row per vehicle the dealer knows (sold, serviced or traded in).");

    public static DmsFileSpec Sales { get; } = new(ImportFileType.Sales, "sale_id",
    [
        Key("sale_id", "The DMS sale (order / invoice) number: the record key."),
        new("customer_id", DmsFieldKind.Key, true, 200, "The buyer's DMS customer number (from the customers file)."),
        Ref("vehicle_id", "The DMS vehicle number of the vehicle sold; or give vin."),
        .. VehicleIdentity,
        Date("sale_date", "Date of sale (handover).", required: true),
        Choice("new_or_used", "New or Used.", "New", "Used"),
        Money("price", "Sale price."),
        Choice("payment_method", "Cash, Finance, Lease or TradeInDeal.", PaymentMethods),
        Int("mileage", "Odometer at handover."),
        Ref("tradein_vehicle_id", "DMS vehicle number of the vehicle traded in."),
        new("tradein_vin", DmsFieldKind.Vin, false, 17, "VIN of the vehicle traded in."),
        Text("tradein_registration", 16, "Plate of the vehicle traded in."),
    ], "One row per vehicle sold. Opens a Selling relationship; a trade-in ends the previous owner's relationships.");

    public static DmsFileSpec ServiceHistory { get; } = new(ImportFileType.ServiceHistory, "visit_id",
    [
        Key("visit_id", "The DMS job card / work order number: the record key."),
        Ref("customer_id", "The DMS customer number of the customer who brought the vehicle."),
        Ref("vehicle_id", "The DMS vehicle number; or give vin."),
        .. VehicleIdentity,
        Date("visit_date", "Date of the visit.", required: true),
        Int("mileage", "Odometer reading at the visit."),
        Choice("mileage_unit", "Kilometres (default) or Miles.", "Kilometres", "Miles"),
        Text("work_type", 60, "Service, repair, inspection, warranty, recall, bodywork ..."),
        Text("description", 1000, "What was done."),
        Money("total_amount", "Invoice total."),
    ], "One row per workshop visit. Opens (or keeps) a Servicing relationship and appends a mileage reading.");

    public static DmsFileSpec LabourLines { get; } = new(ImportFileType.LabourLines, "line_id",
    [
        Key("line_id", "The DMS labour line id: the record key."),
        new("visit_id", DmsFieldKind.Key, true, 200, "The visit (service history visit_id) the line belongs to."),
        Text("operation_code", 40, "Labour operation code."),
        Text("description", 500, "Description."),
        Money("hours", "Hours charged."),
        Money("amount", "Line amount."),
    ], "Labour lines of service visits.");

    public static DmsFileSpec PartLines { get; } = new(ImportFileType.PartLines, "line_id",
    [
        Key("line_id", "The DMS part line id: the record key."),
        new("visit_id", DmsFieldKind.Key, true, 200, "The visit (service history visit_id) the line belongs to."),
        Text("part_number", 60, "Part number."),
        Text("description", 500, "Description."),
        Money("quantity", "Quantity."),
        Money("unit_price", "Unit price."),
        Money("amount", "Line amount."),
    ], "Part lines of service visits.");

    private static IReadOnlyList<DmsField> StockFields() =>
    [
        Key("stock_number", "The DMS stock number: the record key."),
        .. VehicleIdentity,
        Text("derivative", 120, "Derivative / trim."),
        Choice("body_type", "Body type.", BodyTypes),
        Choice("fuel_type", "Fuel.", FuelTypes),
        Text("colour", 40, "Colour."),
        Int("model_year", "Model year."),
        Int("mileage", "Odometer reading (used stock)."),
        Money("price", "Retail price."),
        Date("arrived_on", "Date the vehicle arrived in stock."),
        Text("status", 40, "In stock, reserved, sold ..."),
    ];

    public static DmsFileSpec NewStock { get; } = new(ImportFileType.NewStock, "stock_number", StockFields(), "New vehicles in stock.");
    public static DmsFileSpec UsedStock { get; } = new(ImportFileType.UsedStock, "stock_number", StockFields(), "Used vehicles in stock.");

    public static DmsFileSpec FutureBookings { get; } = new(ImportFileType.FutureBookings, "booking_id",
    [
        Key("booking_id", "The DMS booking id: the record key."),
        Ref("customer_id", "The DMS customer number."),
        Ref("vehicle_id", "The DMS vehicle number; or give vin / registration."),
        new("vin", DmsFieldKind.Vin, false, 17, "Vehicle identification number."),
        Text("registration", 16, "Registration plate."),
        new("booked_for", DmsFieldKind.DateTime, true, 19, "Date and time of the booking."),
        Text("work_type", 60, "Kind of work booked."),
        Text("notes", 1000, "Notes."),
    ], "Workshop bookings in the future.");

    public static DmsFileSpec WorkshopTransactions { get; } = new(ImportFileType.WorkshopTransactions, "transaction_id",
    [
        Key("transaction_id", "The DMS transaction id: the record key."),
        Ref("visit_id", "The visit it belongs to (service history visit_id)."),
        Ref("customer_id", "The DMS customer number."),
        Date("transaction_date", "Date booked.", required: true),
        Text("transaction_type", 40, "Invoice, Credit, Payment ..."),
        Money("amount", "Amount (negative for credits).", required: true),
        Text("reference", 100, "Invoice or payment reference."),
    ], "Workshop invoices, credits and payments.");

    public static IReadOnlyList<DmsFileSpec> All { get; } =
        [Customers, Vehicles, Sales, ServiceHistory, LabourLines, PartLines, NewStock, UsedStock, FutureBookings, WorkshopTransactions];

    public static DmsFileSpec For(ImportFileType type) => All.First(s => s.FileType == type);
}
