using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup.Vehicles;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Tests.DemoData;

/// <summary>The generated demo data in memory, against a detached organisation (no database).</summary>
public sealed partial class DemoDataGeneratorTests
{
    private const int Seed = 20261123;
    private const int Customers = 3000;
    private static readonly string[] NewstarDealers = ["NSA-01", "NSA-02", "NSA-03"];

    // Generated once for the class: the checks below only read it.
    private static readonly Lazy<GeneratedData> Data = new(() => GeneratedData.Create(Customers, Seed));

    [Fact]
    public void Generate_SameSeedAndCount_IdenticalRecords()
    {
        var first = GeneratedData.Create(1500, Seed);
        var second = GeneratedData.Create(1500, Seed);

        Assert.Equal(first.Fingerprint(), second.Fingerprint());
    }

    [Fact]
    public void Generate_BatchSize_DoesNotChangeTheRecords()
    {
        var generator = new DemoDataGenerator(DemoOrganisation.CreateDetached(), Seed, 2500);

        var oneBlockAtATime = ContentFingerprint(generator.Batches(1));
        var allAtOnce = ContentFingerprint(generator.Batches(3));

        Assert.Equal(oneBlockAtATime, allAtOnce);
    }

    [Fact]
    public void Generate_OtherSeed_OtherRecords()
    {
        var generator = new DemoDataGenerator(DemoOrganisation.CreateDetached(), Seed, 500);
        var other = new DemoDataGenerator(DemoOrganisation.CreateDetached(), Seed + 1, 500);

        Assert.NotEqual(ContentFingerprint(generator.Batches(1)), ContentFingerprint(other.Batches(1)));
    }

    [Fact]
    public void Organisation_Detached_ThreeGroupsOfThreeOrFourDealersAndNewstarSellsThreeBrands()
    {
        var organisation = DemoOrganisation.CreateDetached();

        Assert.Equal(("NSC-UK", "GB", "GBP", "Europe/London"),
            (organisation.Network.Code, organisation.Network.CountryCode, organisation.Network.Currency, organisation.Network.TimeZone));
        Assert.Equal(4, organisation.Brands.Count);
        Assert.Equal(3, organisation.Groups.Count);
        Assert.All(organisation.Groups, g => Assert.InRange(g.Dealers.Count, 3, 4));
        Assert.Equal(organisation.Dealers.Count, organisation.Dealers.Select(d => d.Code).Distinct().Count());
        Assert.All(organisation.Dealers, d => Assert.Contains(d.Brands, b => b.Sells || b.Services));
        var newstar = organisation.Groups.Single(g => g.Code == "NEWSTAR");
        Assert.Equal(NewstarDealers, newstar.Dealers.Select(d => d.Code).Order());
        var soldBrands = newstar.Dealers.Select(d => d.Brands.Where(b => b.Sells).Select(b => b.BrandId).Single()).ToList();
        Assert.Equal(3, soldBrands.Distinct().Count());
    }

    [Fact]
    public void Generate_RequestedCount_IncludesAboutFivePercentPlantedDuplicates()
    {
        var data = Data.Value;

        Assert.Equal(Customers, data.Customers.Count);
        Assert.Equal(Customers, data.Customers.Select(c => c.SourceReference).Distinct().Count());
        Assert.InRange(data.Duplicates.Count, Customers * 4 / 100, Customers * 6 / 100);
        Assert.All(data.Customers, c => Assert.True(DemoSourceReference.TryParse(c.SourceReference, out _, out _)));
    }

    [Fact]
    public void Generate_PlantedDuplicates_CarryTheErrorsTheyDeclare()
    {
        var data = Data.Value;
        var seen = DuplicateErrors.None;

        foreach (var (duplicate, original, errors) in data.Duplicates)
        {
            Assert.True(DemoSourceReference.TryParse(duplicate.SourceReference, out _, out var duplicateOf));
            Assert.True(DemoSourceReference.TryParse(original.SourceReference, out var originalIndex, out var originalIsDuplicate));
            Assert.Equal(originalIndex, duplicateOf);
            Assert.Null(originalIsDuplicate);
            Assert.Equal(BuyerType.Person, duplicate.BuyerType);
            Assert.Equal((errors & DuplicateErrors.OtherGroup) != 0, duplicate.DealerGroupId != original.DealerGroupId);
            seen |= errors;
            var kind = errors & ~DuplicateErrors.OtherGroup;
            switch (kind)
            {
                case DuplicateErrors.None:
                    Assert.Equal(Person(original), Person(duplicate));
                    Assert.Equal(original.Addresses[0].Postcode, duplicate.Addresses[0].Postcode);
                    break;
                case DuplicateErrors.NameTypo:
                    var typoInFirst = duplicate.FirstName != original.FirstName;
                    Assert.NotEqual(typoInFirst, duplicate.LastName != original.LastName);
                    var (typed, meant) = typoInFirst ? (duplicate.FirstName!, original.FirstName!) : (duplicate.LastName!, original.LastName!);
                    Assert.InRange(Math.Abs(typed.Length - meant.Length), 0, 1);
                    break;
                case DuplicateErrors.SwappedNames:
                    Assert.Equal((original.LastName, original.FirstName), (duplicate.FirstName, duplicate.LastName));
                    break;
                case DuplicateErrors.Nickname:
                    Assert.Contains(duplicate.FirstName, DemoVocabulary.Nicknames[original.FirstName!]);
                    Assert.Equal(original.LastName, duplicate.LastName);
                    break;
                case DuplicateErrors.MovedHouse:
                    Assert.Equal(Person(original), Person(duplicate));
                    Assert.NotEqual(Address(original), Address(duplicate));
                    break;
                case DuplicateErrors.NewEmail:
                    Assert.Equal(Person(original), Person(duplicate));
                    Assert.DoesNotContain(original.Emails, e => e.NormalisedAddress == duplicate.Emails.Single().NormalisedAddress);
                    break;
                case DuplicateErrors.DroppedMiddleName:
                    Assert.NotNull(original.MiddleName);
                    Assert.Null(duplicate.MiddleName);
                    break;
                case DuplicateErrors.MissingPhone:
                    Assert.NotEmpty(original.Phones);
                    Assert.Empty(duplicate.Phones);
                    break;
                case DuplicateErrors.MissingDateOfBirth:
                    Assert.NotNull(original.DateOfBirth);
                    Assert.Null(duplicate.DateOfBirth);
                    break;
                case DuplicateErrors.DateOfBirthDayMonthSwapped:
                    var dob = original.DateOfBirth!.Value;
                    Assert.Equal(new DateOnly(dob.Year, dob.Day, dob.Month), duplicate.DateOfBirth);
                    Assert.NotEqual(dob, duplicate.DateOfBirth);
                    break;
            }
        }

        foreach (var error in Enum.GetValues<DuplicateErrors>())
        {
            Assert.True(error == DuplicateErrors.None || (seen & error) != 0, $"No planted duplicate has {error}.");
        }
    }

    [Fact]
    public void Generate_Relationships_FollowThePeriodRulesInEveryTriangle()
    {
        var data = Data.Value;
        var groupOfDealer = data.Organisation.Dealers.ToDictionary(d => d.Id, d => d.DealerGroupId);

        RelationshipRules.EnsureNoOverlap(data.Relationships);

        Assert.All(data.Relationships.GroupBy(r => (r.DealerId, r.CustomerId, r.VehicleId)),
            triangle => Assert.InRange(triangle.Count(r => r.EndDate is null), 0, 1));
        Assert.All(data.Relationships, r =>
        {
            Assert.Equal(groupOfDealer[r.DealerId], r.DealerGroupId);
            Assert.Equal(r.Customer!.DealerGroupId, r.DealerGroupId);
            Assert.Equal(r.EndDate is null, r.EndReason is null);
            Assert.True(r.StartDate >= DateOnly.FromDateTime(r.Customer.CreatedAt), "A relationship starts after its customer record was created.");
            Assert.True((r.EndDate ?? r.StartDate) <= DemoDataGenerator.LastDay);
            Assert.Equal(r.Type == RelationshipType.Selling, r.PaymentMethod is not null);
        });
        Assert.Equal(Enum.GetValues<RelationshipType>().Order(), data.Relationships.Select(r => r.Type).Distinct().Order());
        var reasons = data.Relationships.Where(r => r.EndReason is not null).Select(r => r.EndReason!.Value).ToHashSet();
        Assert.Superset(new HashSet<RelationshipEndReason>
        {
            RelationshipEndReason.SoldAsTradeIn, RelationshipEndReason.SoldPrivately, RelationshipEndReason.Scrapped,
            RelationshipEndReason.Superseded, RelationshipEndReason.Other,
        }, reasons);
        var startYears = data.Relationships.Select(r => r.StartDate.Year).Distinct().Count();
        Assert.True(startYears >= 8, $"Relationships start in {startYears} different years only.");
        Assert.All(data.Customers, c => Assert.Contains(data.Relationships, r => ReferenceEquals(r.Customer, c)));
    }

    [Fact]
    public void Generate_OwnershipChanges_TheBuyersRelationshipsStartOnTheSaleDate()
    {
        var data = Data.Value;

        var changes = (
            from sold in data.Relationships
            where sold.EndReason is RelationshipEndReason.SoldAsTradeIn or RelationshipEndReason.SoldPrivately
            from bought in data.Relationships
            where ReferenceEquals(bought.Vehicle, sold.Vehicle) && !ReferenceEquals(bought.Customer, sold.Customer)
                && bought.StartDate == sold.EndDate && bought.Type is RelationshipType.Selling or RelationshipType.Servicing
            select (Sold: sold, Bought: bought)).ToList();

        Assert.Contains(changes, c => c.Sold.EndReason == RelationshipEndReason.SoldAsTradeIn && c.Bought.Type == RelationshipType.Selling);
        Assert.Contains(changes, c => c.Sold.EndReason == RelationshipEndReason.SoldPrivately && c.Bought.Type == RelationshipType.Servicing);
        Assert.Contains(changes, c => c.Sold.DealerGroupId != c.Bought.DealerGroupId);
    }

    [Fact]
    public void Generate_Vehicles_ValidVinsConsistentPlatesAndRisingMileage()
    {
        var data = Data.Value;
        var planted = data.VehicleDuplicates.Select(d => d.Duplicate).ToHashSet(ReferenceEqualityComparer.Instance);
        var vehicles = data.Vehicles.Where(v => !planted.Contains(v)).ToList();

        Assert.All(vehicles, v =>
        {
            var check = Vin.Check(v.Vin);
            Assert.True(check.IsValid, check.Error);
            Assert.Equal(check.Warning, v.VinWarning);
            Assert.True(v.BrandId is null != (v.Make is null), "A vehicle has either a network brand or a make text.");
            var plates = v.Plates.OrderBy(p => p.ValidFrom).ToList();
            Assert.Equal(plates.SingleOrDefault(p => p.ValidTo is null)?.Plate, v.CurrentPlate);
            Assert.Equal(v.FirstRegistrationDate is null, plates.Count == 0);
            Assert.All(plates, p => Assert.Equal(PlateRegistration.Normalise(p.Plate), p.Plate));
            for (var i = 1; i < plates.Count; i++)
            {
                Assert.Equal(plates[i].ValidFrom, plates[i - 1].ValidTo);
            }

            var readings = v.MileageReadings.OrderBy(m => m.ReadOn).ToList();
            for (var i = 1; i < readings.Count; i++)
            {
                Assert.True(readings[i].Value >= readings[i - 1].Value, $"Mileage of {v.Vin} falls on {readings[i].ReadOn}.");
            }
        });
        Assert.Equal(vehicles.Count, vehicles.Select(v => v.Vin).Distinct().Count());
        Assert.Equal(vehicles.Count(v => v.CurrentPlate is not null),
            vehicles.Where(v => v.CurrentPlate is not null).Select(v => v.CurrentPlate).Distinct().Count());
        var northAmerican = vehicles.Where(v => Vin.CheckDigitApplies(v.Vin!)).ToList();
        Assert.Contains(northAmerican, v => v.VinWarning is null);
        Assert.Contains(northAmerican, v => v.VinWarning is not null);
        Assert.Contains(data.Vehicles, v => v.Plates.Count > 1);
        Assert.Contains(data.Vehicles, v => v.Make is not null);
    }

    [Fact]
    public void Generate_PlantedVehicleDuplicates_OneCarTwiceUnderOneCustomer()
    {
        var data = Data.Value;
        var customersOf = data.Relationships.GroupBy(r => r.Vehicle!).ToDictionary(g => g.Key, g => g.Select(r => r.Customer!).ToHashSet());

        Assert.NotEmpty(data.VehicleDuplicates);
        Assert.All(data.VehicleDuplicates, d =>
        {
            Assert.Contains(d.Duplicate, data.Vehicles);
            Assert.Equal((d.Original.BrandId, d.Original.Make, d.Original.Model), (d.Duplicate.BrandId, d.Duplicate.Make, d.Duplicate.Model));
            // Both records hang off one customer, which is how the duplicate-vehicle pass finds them.
            Assert.True(customersOf[d.Duplicate].Overlaps(customersOf[d.Original]));
            switch (d.Kind)
            {
                case VehicleDuplicateKind.VinTypo:
                    Assert.Equal(1, VinMatching.Distance(d.Original.Vin!, d.Duplicate.Vin!, 1));
                    Assert.Equal(Vin.Check(d.Duplicate.Vin).Warning, d.Duplicate.VinWarning);
                    Assert.Null(d.Duplicate.CurrentPlate);
                    break;
                case VehicleDuplicateKind.PlateWithoutVin:
                    Assert.Null(d.Duplicate.Vin);
                    Assert.Equal(d.Original.CurrentPlate, d.Duplicate.CurrentPlate);
                    break;
                default:
                    Assert.Equal((d.Original.Vin, d.Original.CurrentPlate), (d.Duplicate.Vin, d.Duplicate.CurrentPlate));
                    break;
            }
        });
    }

    [Fact]
    public void Generate_ContactsAndConsents_NormalisedAndConsistent()
    {
        var data = Data.Value;
        var phones = data.Customers.SelectMany(c => c.Phones).ToList();
        var emails = data.Customers.SelectMany(c => c.Emails).ToList();
        var addresses = data.Customers.SelectMany(c => c.Addresses).ToList();
        var consents = data.Customers.SelectMany(c => c.Consents.Select(r => (Customer: c, Record: r))).ToList();

        Assert.All(phones, p => Assert.Equal(p.Number, Domain.Common.PhoneNumbers.ToE164(p.Number, "GB")));
        Assert.Contains(phones, p => p.Kind == PhoneKind.Mobile && Domain.Common.PhoneNumbers.IsMobile(p.Number));
        Assert.Contains(phones, p => p.Kind != PhoneKind.Mobile);
        Assert.All(emails, e => Assert.Equal(e.Address.Trim().ToLowerInvariant(), e.NormalisedAddress));
        Assert.All(data.Customers, c => Assert.InRange(c.Emails.Count, 0, 2));
        Assert.All(data.Customers, c => Assert.Single(c.Addresses, a => a.IsPrimary));
        Assert.All(addresses.Where(a => a.CountryCode == "GB"), a => Assert.Matches(GbPostcode(), a.Postcode));
        Assert.Contains(addresses, a => a.CountryCode != "GB");
        Assert.Contains(data.Customers, c => c.BuyerType == BuyerType.Company && c.CompanyName is not null);
        Assert.All(data.Customers, c => Assert.Contains(data.Organisation.DealersOf(c.DealerGroupId), d => d.Id == c.ResponsibleDealerId));
        Assert.All(consents, c => Assert.True(c.Record.BrandId is null != (c.Record.DealerId is null)));
        Assert.Equal(Enum.GetValues<ConsentChannel>().Order(), consents.Select(c => c.Record.Channel).Distinct().Order());
        Assert.Contains(consents, c => c.Record.Status == ConsentStatus.OptIn && c.Customer.Consents.Any(later =>
            later.Status == ConsentStatus.OptOut && later.RecordedAt > c.Record.RecordedAt && later.Channel == c.Record.Channel
            && later.Purpose == c.Record.Purpose && later.BrandId == c.Record.BrandId && later.DealerId == c.Record.DealerId));
        var years = data.Customers.Select(c => c.CreatedAt.Year).Distinct().Count();
        Assert.True(years >= 8, $"Customers were created in {years} different years only.");
    }

    [Fact]
    public void Allocate_EveryCustomer_HasItsOwnWholesaleRecordComposedFromIt()
    {
        var data = Data.Value;

        Assert.All(data.Customers, c =>
        {
            var wholesale = c.WholesaleCustomer!;
            Assert.Equal(wholesale.Id, c.WholesaleCustomerId);
            Assert.Equal(1, wholesale.RetailRecordCount);
            Assert.NotEmpty(wholesale.FieldSources);
            Assert.All(wholesale.FieldSources.Values, id => Assert.Equal(c.Id, id));
            Assert.Equal((c.FirstName, c.LastName, c.DateOfBirth, c.PrimaryEmail?.Address, c.PrimaryAddress?.Postcode),
                (wholesale.FirstName, wholesale.LastName, wholesale.DateOfBirth, wholesale.Email, wholesale.Postcode));
        });
        Assert.Equal(data.Customers.Count, data.Customers.Select(c => c.WholesaleCustomerId).Distinct().Count());
    }

    private static (string? Title, string? First, string? Middle, string? Last, DateOnly? Born) Person(Customer c) =>
        (c.Title, c.FirstName, c.MiddleName, c.LastName, c.DateOfBirth);

    private static (string? Line1, string? City, string? Postcode) Address(Customer c) =>
        (c.Addresses[0].Line1, c.Addresses[0].City, c.Addresses[0].Postcode);

    [GeneratedRegex("^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$")]
    private static partial Regex GbPostcode();

    /// <summary>The content of generated batches (before ids are assigned), as a hash, whatever the batch size.</summary>
    private static string ContentFingerprint(IEnumerable<DemoBatch> batches)
    {
        var list = batches.ToList();
        var text = new StringBuilder();
        foreach (var c in list.SelectMany(b => b.Customers))
        {
            Describe(text, c, c.WholesaleCustomer, c.Addresses, c.Emails, c.Phones, c.Consents);
        }

        foreach (var v in list.SelectMany(b => b.Vehicles))
        {
            Describe(text, v, v.Plates, v.MileageReadings);
        }

        foreach (var r in list.SelectMany(b => b.Relationships))
        {
            text.Append(r.Customer!.SourceReference).Append('>').Append(r.Vehicle!.Vin).Append(':');
            Describe(text, r);
        }

        foreach (var d in list.SelectMany(b => b.Duplicates))
        {
            text.Append(d.Duplicate.SourceReference).Append('=').Append(d.Original.SourceReference).Append(d.Errors).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Every scalar property of the objects (and of the items of lists), in declaration order.</summary>
    internal static void Describe(StringBuilder text, params object?[] items)
    {
        foreach (var item in items)
        {
            if (item is System.Collections.IEnumerable list and not string)
            {
                foreach (var element in list)
                {
                    Describe(text, element);
                }

                continue;
            }

            if (item is null)
            {
                text.Append("null;");
                continue;
            }

            foreach (var property in item.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTime) || type == typeof(DateOnly))
                {
                    text.Append(property.Name).Append('=')
                        .Append(Convert.ToString(property.GetValue(item), CultureInfo.InvariantCulture)).Append(';');
                }
                else if (property.PropertyType == typeof(Dictionary<string, long>))
                {
                    foreach (var (key, value) in ((Dictionary<string, long>)property.GetValue(item)!).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        text.Append(key).Append(':').Append(value).Append(';');
                    }
                }
            }

            text.Append('\n');
        }
    }

    /// <summary>A data set generated block by block with ids assigned, as the SQLite loader writes it.</summary>
    private sealed class GeneratedData
    {
        public required DemoOrganisation Organisation { get; init; }
        public List<Customer> Customers { get; } = [];
        public List<Vehicle> Vehicles { get; } = [];
        public List<Relationship> Relationships { get; } = [];
        public List<PlantedDuplicate> Duplicates { get; } = [];
        public List<PlantedVehicleDuplicate> VehicleDuplicates { get; } = [];

        public static GeneratedData Create(int customers, int seed)
        {
            var organisation = DemoOrganisation.CreateDetached();
            var data = new GeneratedData { Organisation = organisation };
            var ids = new DemoIds();
            foreach (var batch in new DemoDataGenerator(organisation, seed, customers).Batches(1))
            {
                var rows = DemoRows.Allocate(batch, ids);
                data.Customers.AddRange(rows.Customers);
                data.Vehicles.AddRange(rows.Vehicles);
                data.Relationships.AddRange(rows.Relationships);
                data.Duplicates.AddRange(batch.Duplicates);
                data.VehicleDuplicates.AddRange(batch.VehicleDuplicates);
            }

            return data;
        }

        public string Fingerprint()
        {
            var text = new StringBuilder();
            foreach (var c in Customers)
            {
                Describe(text, c, c.WholesaleCustomer, c.Addresses, c.Emails, c.Phones, c.Consents);
            }

            foreach (var v in Vehicles)
            {
                Describe(text, v, v.Plates, v.MileageReadings);
            }

            Describe(text, Relationships);
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }
}
