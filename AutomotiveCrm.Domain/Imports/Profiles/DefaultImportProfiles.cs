using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Domain.Imports.Profiles;

/// <summary>A built-in profile: everything an <see cref="ImportProfile"/> holds except its network.</summary>
public sealed record ImportProfileDefinition(string Name, string DmsProvider, ImportFileType FileType, string Delimiter, string? Quote,
    string Encoding, string DateFormat, string DecimalSeparator, bool HasHeaderRow, string FileNamePattern,
    IReadOnlyList<ColumnMapping> Columns)
{
    public ImportProfile ToProfile(long networkId) => new()
    {
        NetworkId = networkId,
        Name = Name,
        DmsProvider = DmsProvider,
        FileType = FileType,
        Delimiter = Delimiter,
        Quote = Quote,
        Encoding = Encoding,
        DateFormat = DateFormat,
        DecimalSeparator = DecimalSeparator,
        HasHeaderRow = HasHeaderRow,
        FileNamePattern = FileNamePattern,
        ColumnMap = ImportProfileRules.WriteColumnMap(Columns),
        IsActive = true,
    };
}

/// <summary>
/// The profiles of the two fictional DMS providers of the demo and the sample files (Imports/Samples):
/// <list type="bullet">
/// <item><b>Roadstar</b> (a UK system): comma-separated, double quotes, UTF-8, dates yyyy-MM-dd, "." decimals, English
/// upper-case headers, files named CUSTOMERS_*.csv, SERVICE_HISTORY_*.csv ...</item>
/// <item><b>Werkstatt Plus</b> (a German system): semicolon-separated, double quotes, windows-1252, dates dd.MM.yyyy,
/// "," decimals with "." digit groups, German headers (KUNDENNR, NACHNAME, FIN, KENNZEICHEN ...), files named
/// KUNDEN_*.txt, WERKSTATT_*.txt ...; its workshop transactions file (BUCHUNGEN_*.txt) has no header row and is
/// mapped by column numbers.</item>
/// </list>
/// </summary>
public static class DefaultImportProfiles
{
    public const string Roadstar = "Roadstar";
    public const string WerkstattPlus = "Werkstatt Plus";

    /// <summary>Both providers' names, in the order demo dealers are given them.</summary>
    public static IReadOnlyList<string> Providers { get; } = [Roadstar, WerkstattPlus];

    public static IReadOnlyList<ImportProfileDefinition> All { get; } = [.. RoadstarProfiles(), .. WerkstattPlusProfiles()];

    public static ImportProfileDefinition For(string provider, ImportFileType type) =>
        All.First(d => string.Equals(d.DmsProvider, provider, StringComparison.OrdinalIgnoreCase) && d.FileType == type);

    private static List<ColumnMapping> Map(params (string Field, string Source)[] columns) =>
        columns.Select(c => new ColumnMapping(c.Field, c.Source)).ToList();

    private static IEnumerable<ImportProfileDefinition> RoadstarProfiles()
    {
        ImportProfileDefinition Profile(ImportFileType type, string label, string pattern, List<ColumnMapping> columns) =>
            new($"{Roadstar} {label}", Roadstar, type, ",", "\"", "utf-8", "yyyy-MM-dd", ".", true, pattern, columns);

        (string, string)[] vehicle = [("vin", "VIN"), ("registration", "REG_NO"), ("make", "MAKE"), ("model", "MODEL")];

        yield return Profile(ImportFileType.Customers, "Customers", "CUSTOMERS_*.csv", Map(
            ("customer_id", "CUSTOMER_NO"), ("buyer_type", "BUYER_TYPE"), ("title", "TITLE"), ("first_name", "FIRST_NAME"),
            ("middle_name", "MIDDLE_NAME"), ("last_name", "LAST_NAME"), ("company_name", "COMPANY_NAME"),
            ("date_of_birth", "DATE_OF_BIRTH"), ("address_line1", "ADDRESS_1"), ("address_line2", "ADDRESS_2"),
            ("city", "TOWN"), ("region", "COUNTY"), ("postcode", "POSTCODE"), ("country", "COUNTRY"), ("email", "EMAIL"),
            ("phone_mobile", "MOBILE"), ("phone_home", "HOME_PHONE"), ("phone_work", "WORK_PHONE"),
            ("payment_method", "PAYMENT_METHOD"), ("insured_accidents", "INSURED_ACCIDENTS")));
        yield return Profile(ImportFileType.Vehicles, "Vehicles", "VEHICLES_*.csv", Map(
            [("vehicle_id", "VEHICLE_NO"), .. vehicle, ("derivative", "DERIVATIVE"), ("body_type", "BODY_STYLE"),
             ("fuel_type", "FUEL"), ("transmission", "TRANSMISSION"), ("colour", "COLOUR"), ("model_year", "MODEL_YEAR"),
             ("first_registration_date", "FIRST_REG_DATE"), ("mileage", "MILEAGE"), ("mileage_date", "MILEAGE_DATE"),
             ("mileage_unit", "MILEAGE_UNIT")]));
        yield return Profile(ImportFileType.Sales, "Sales", "SALES_*.csv", Map(
            [("sale_id", "SALE_NO"), ("customer_id", "CUSTOMER_NO"), ("vehicle_id", "VEHICLE_NO"), .. vehicle,
             ("sale_date", "SALE_DATE"), ("new_or_used", "NEW_USED"), ("price", "PRICE"), ("payment_method", "PAYMENT_METHOD"),
             ("mileage", "MILEAGE"), ("tradein_vehicle_id", "PX_VEHICLE_NO"), ("tradein_vin", "PX_VIN"),
             ("tradein_registration", "PX_REG_NO")]));
        yield return Profile(ImportFileType.ServiceHistory, "Service History", "SERVICE_HISTORY_*.csv", Map(
            [("visit_id", "JOB_NO"), ("customer_id", "CUSTOMER_NO"), ("vehicle_id", "VEHICLE_NO"), .. vehicle,
             ("visit_date", "JOB_DATE"), ("mileage", "MILEAGE"), ("mileage_unit", "MILEAGE_UNIT"), ("work_type", "WORK_TYPE"),
             ("description", "DESCRIPTION"), ("total_amount", "TOTAL")]));
        yield return Profile(ImportFileType.LabourLines, "Labour Lines", "LABOUR_LINES_*.csv", Map(
            ("line_id", "LINE_NO"), ("visit_id", "JOB_NO"), ("operation_code", "OP_CODE"), ("description", "DESCRIPTION"),
            ("hours", "HOURS"), ("amount", "AMOUNT")));
        yield return Profile(ImportFileType.PartLines, "Part Lines", "PART_LINES_*.csv", Map(
            ("line_id", "LINE_NO"), ("visit_id", "JOB_NO"), ("part_number", "PART_NO"), ("description", "DESCRIPTION"),
            ("quantity", "QTY"), ("unit_price", "UNIT_PRICE"), ("amount", "AMOUNT")));
        List<ColumnMapping> Stock() => Map(
            [("stock_number", "STOCK_NO"), .. vehicle, ("derivative", "DERIVATIVE"), ("body_type", "BODY_STYLE"),
             ("fuel_type", "FUEL"), ("colour", "COLOUR"), ("model_year", "MODEL_YEAR"), ("mileage", "MILEAGE"),
             ("price", "PRICE"), ("arrived_on", "DATE_IN_STOCK"), ("status", "STATUS")]);
        yield return Profile(ImportFileType.NewStock, "New Stock", "NEW_STOCK_*.csv", Stock());
        yield return Profile(ImportFileType.UsedStock, "Used Stock", "USED_STOCK_*.csv", Stock());
        yield return Profile(ImportFileType.FutureBookings, "Future Bookings", "BOOKINGS_*.csv", Map(
            ("booking_id", "BOOKING_NO"), ("customer_id", "CUSTOMER_NO"), ("vehicle_id", "VEHICLE_NO"), ("vin", "VIN"),
            ("registration", "REG_NO"), ("booked_for", "BOOKED_FOR"), ("work_type", "WORK_TYPE"), ("notes", "NOTES")));
        yield return Profile(ImportFileType.WorkshopTransactions, "Workshop Transactions", "WORKSHOP_TRANSACTIONS_*.csv", Map(
            ("transaction_id", "TRANSACTION_NO"), ("visit_id", "JOB_NO"), ("customer_id", "CUSTOMER_NO"),
            ("transaction_date", "TRANSACTION_DATE"), ("transaction_type", "TRANSACTION_TYPE"), ("amount", "AMOUNT"),
            ("reference", "REFERENCE")));
    }

    private static IEnumerable<ImportProfileDefinition> WerkstattPlusProfiles()
    {
        ImportProfileDefinition Profile(ImportFileType type, string label, string pattern, List<ColumnMapping> columns, bool header = true) =>
            new($"{WerkstattPlus} {label}", WerkstattPlus, type, ";", "\"", "windows-1252", "dd.MM.yyyy", ",", header, pattern, columns);

        (string, string)[] vehicle = [("vin", "FIN"), ("registration", "KENNZEICHEN"), ("make", "MARKE"), ("model", "MODELL")];

        yield return Profile(ImportFileType.Customers, "Customers", "KUNDEN_*.txt", Map(
            ("customer_id", "KUNDENNR"), ("buyer_type", "KUNDENART"), ("title", "ANREDE"), ("first_name", "VORNAME"),
            ("middle_name", "ZWEITER_VORNAME"), ("last_name", "NACHNAME"), ("company_name", "FIRMA"),
            ("date_of_birth", "GEBURTSDATUM"), ("address_line1", "STRASSE"), ("address_line2", "ADRESSZUSATZ"),
            ("city", "ORT"), ("region", "BUNDESLAND"), ("postcode", "PLZ"), ("country", "LAND"), ("email", "EMAIL"),
            ("phone_mobile", "MOBIL"), ("phone_home", "TELEFON_PRIVAT"), ("phone_work", "TELEFON_GESCHÄFT"),
            ("payment_method", "ZAHLUNGSART"), ("insured_accidents", "VERSICHERUNGSSCHÄDEN")));
        yield return Profile(ImportFileType.Vehicles, "Vehicles", "FAHRZEUGE_*.txt", Map(
            [("vehicle_id", "FAHRZEUGNR"), .. vehicle, ("derivative", "AUSFÜHRUNG"), ("body_type", "KAROSSERIE"),
             ("fuel_type", "KRAFTSTOFF"), ("transmission", "GETRIEBE"), ("colour", "FARBE"), ("model_year", "MODELLJAHR"),
             ("first_registration_date", "ERSTZULASSUNG"), ("mileage", "KM_STAND"), ("mileage_date", "KM_DATUM"),
             ("mileage_unit", "KM_EINHEIT")]));
        yield return Profile(ImportFileType.Sales, "Sales", "VERKAEUFE_*.txt", Map(
            [("sale_id", "VERKAUFSNR"), ("customer_id", "KUNDENNR"), ("vehicle_id", "FAHRZEUGNR"), .. vehicle,
             ("sale_date", "VERKAUFSDATUM"), ("new_or_used", "NEU_GEBRAUCHT"), ("price", "PREIS"), ("payment_method", "ZAHLUNGSART"),
             ("mileage", "KM_STAND"), ("tradein_vehicle_id", "INZAHLUNGNAHME_FAHRZEUGNR"), ("tradein_vin", "INZAHLUNGNAHME_FIN"),
             ("tradein_registration", "INZAHLUNGNAHME_KENNZEICHEN")]));
        yield return Profile(ImportFileType.ServiceHistory, "Service History", "WERKSTATT_*.txt", Map(
            [("visit_id", "AUFTRAGSNR"), ("customer_id", "KUNDENNR"), ("vehicle_id", "FAHRZEUGNR"), .. vehicle,
             ("visit_date", "AUFTRAGSDATUM"), ("mileage", "KM_STAND"), ("mileage_unit", "KM_EINHEIT"), ("work_type", "ARBEITSART"),
             ("description", "BESCHREIBUNG"), ("total_amount", "GESAMTBETRAG")]));
        yield return Profile(ImportFileType.LabourLines, "Labour Lines", "ARBEITSPOSITIONEN_*.txt", Map(
            ("line_id", "POSITIONSNR"), ("visit_id", "AUFTRAGSNR"), ("operation_code", "ARBEITSNR"), ("description", "BESCHREIBUNG"),
            ("hours", "STUNDEN"), ("amount", "BETRAG")));
        yield return Profile(ImportFileType.PartLines, "Part Lines", "TEILEPOSITIONEN_*.txt", Map(
            ("line_id", "POSITIONSNR"), ("visit_id", "AUFTRAGSNR"), ("part_number", "TEILENR"), ("description", "BEZEICHNUNG"),
            ("quantity", "MENGE"), ("unit_price", "EINZELPREIS"), ("amount", "BETRAG")));
        List<ColumnMapping> Stock() => Map(
            [("stock_number", "BESTANDSNR"), .. vehicle, ("derivative", "AUSFÜHRUNG"), ("body_type", "KAROSSERIE"),
             ("fuel_type", "KRAFTSTOFF"), ("colour", "FARBE"), ("model_year", "MODELLJAHR"), ("mileage", "KM_STAND"),
             ("price", "PREIS"), ("arrived_on", "EINGANGSDATUM"), ("status", "STATUS")]);
        yield return Profile(ImportFileType.NewStock, "New Stock", "NEUWAGEN_*.txt", Stock());
        yield return Profile(ImportFileType.UsedStock, "Used Stock", "GEBRAUCHTWAGEN_*.txt", Stock());
        yield return Profile(ImportFileType.FutureBookings, "Future Bookings", "TERMINE_*.txt", Map(
            ("booking_id", "TERMINNR"), ("customer_id", "KUNDENNR"), ("vehicle_id", "FAHRZEUGNR"), ("vin", "FIN"),
            ("registration", "KENNZEICHEN"), ("booked_for", "TERMIN"), ("work_type", "ARBEITSART"), ("notes", "BEMERKUNG")));
        // Werkstatt Plus exports its bookkeeping lines without a header row: columns by position.
        yield return Profile(ImportFileType.WorkshopTransactions, "Workshop Transactions", "BUCHUNGEN_*.txt", Map(
            ("transaction_id", "1"), ("visit_id", "2"), ("customer_id", "3"), ("transaction_date", "4"),
            ("transaction_type", "5"), ("amount", "6"), ("reference", "7")), header: false);
    }
}
