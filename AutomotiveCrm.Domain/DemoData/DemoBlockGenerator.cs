using System.Globalization;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>Where generated blocks put their records.</summary>
internal sealed class DemoBlockSink
{
    public List<Customer> Customers { get; } = [];
    public List<Vehicle> Vehicles { get; } = [];
    public List<Relationship> Relationships { get; } = [];
    public List<PlantedDuplicate> Duplicates { get; } = [];
    public List<PlantedVehicleDuplicate> VehicleDuplicates { get; } = [];
}

/// <summary>
/// Generates one block of customers. Each customer gets a story: a profile (new-car buyer, used-car buyer, service
/// customer, prospect, breakdown, contact of a company car) played out over the years as relationships with dealers
/// of the customer's group, vehicles with plates and mileage readings, and consent statements.
/// </summary>
/// <remarks>
/// Relationship periods are built so that the rules hold by construction: for one (dealer, customer, vehicle)
/// every period starts where the previous one ended (a prospect superseded by the sale, the sale superseded by
/// servicing at the same dealer), so they never overlap and at most one is current. When a vehicle leaves its
/// owner, every current relationship of the owner with it ends that day with the same reason.
/// </remarks>
internal sealed partial class DemoBlockGenerator
{
    /// <summary>Vehicles a block may create; vehicle numbers (VIN serials, plates) are unique below this per block.</summary>
    private const int VehicleCapacity = 4096;

    private static readonly int[] ProfileWeights = DemoCatalogue.Cumulative([40, 14, 20, 10, 8, 8]);
    private static readonly int[] PaymentWeights = DemoCatalogue.Cumulative([30, 45, 15, 10]);
    private static readonly int[] SourceWeights = DemoCatalogue.Cumulative([30, 55, 15]);
    private static readonly int[] ConsentSourceWeights = DemoCatalogue.Cumulative([40, 30, 20, 10]);
    private static readonly DateOnly OldestRegistration = new(2014, 1, 1);
    private static readonly DateOnly OldestBirth = new(1941, 1, 1);
    private static readonly DateOnly YoungestBirth = new(2007, 12, 31);
    private const string Vowels = "aeiou";
    private const string PlantLetters = "ABCDEFGHJKLMNPRSTUVW";

    private readonly DemoCatalogue _catalogue;
    private readonly int _block;
    private readonly int _firstIndex;
    private readonly int _count;
    private readonly DemoBlockSink _sink;
    private readonly List<PersonState> _people = [];
    private readonly List<VehicleState> _vehicles = [];
    private readonly List<PoolEntry> _pool = [];
    private readonly List<Holding> _fleet = [];
    private DemoRandom _rng;
    /// <summary>
    /// The stream for what makes duplicates harder to spot (see <see cref="Harden"/>, <see cref="PlantVehicleDuplicates"/>):
    /// kept apart from <see cref="_rng"/> so that every other record of the block stays as it was before these were added.
    /// </summary>
    private DemoRandom _noise;

    public DemoBlockGenerator(DemoCatalogue catalogue, int seed, int block, int firstIndex, int count, DemoBlockSink sink)
    {
        _catalogue = catalogue;
        _block = block;
        _firstIndex = firstIndex;
        _count = count;
        _sink = sink;
        _rng = DemoRandom.For(seed, block);
        _noise = DemoRandom.For(seed, block, purpose: 1);
    }

    private enum Profile
    {
        NewCar,
        UsedCar,
        ServiceOnly,
        Prospect,
        Breakdown,
        ContactOnly,
    }

    public void Run()
    {
        for (var i = 0; i < _count; i++)
        {
            var index = _firstIndex + i;
            // The first records of a block cannot be duplicates: there must be people to copy. The other 99% of a
            // full block are slightly more likely to be, so that the block as a whole has the intended share.
            if (i >= 10 && _rng.Chance(DemoDataGenerator.DuplicateShare / 0.99))
            {
                var original = _people[_rng.Next(_people.Count)];
                Finish(Duplicate(index, original));
            }
            else
            {
                var person = Original(index);
                Finish(person);
                if (person.Customer.BuyerType == BuyerType.Person)
                {
                    _people.Add(person);
                }
            }
        }

        foreach (var v in _vehicles)
        {
            v.Vehicle.CreatedAt = At(v.FirstSeen);
            v.Vehicle.UpdatedAt = v.LastTouched > v.FirstSeen ? At(v.LastTouched) : v.Vehicle.CreatedAt;
            _sink.Vehicles.Add(v.Vehicle);
        }

        PlantVehicleDuplicates();
    }

    private PersonState Original(int index)
    {
        var profile = (Profile)_rng.PickWeighted(ProfileWeights);
        var company = profile == Profile.NewCar && _rng.Chance(0.15);
        PoolEntry? used = null;
        Holding? fleetCar = null;
        int group;
        if (profile == Profile.UsedCar && _pool.Count > 0 && _rng.Chance(0.85))
        {
            var at = _rng.Next(_pool.Count);
            used = _pool[at];
            _pool[at] = _pool[^1];
            _pool.RemoveAt(_pool.Count - 1);
            // A trade-in is resold by the dealer that took it in; a private buyer can live anywhere.
            group = used.TradeIn ? used.Group : PickGroup();
        }
        else if (profile == Profile.ContactOnly && _fleet.Count > 0)
        {
            fleetCar = _fleet[_rng.Next(_fleet.Count)];
            group = fleetCar.Group;
        }
        else
        {
            group = PickGroup();
        }

        var person = NewPerson(index, group, company);
        var known = used is not null
            ? Max(DemoDataGenerator.FirstDay, used.SaleDate.AddDays(-_rng.Next(0, 45)))
            : fleetCar is not null
                ? Min(fleetCar.From.AddDays(_rng.Next(0, 200)), DemoDataGenerator.LastDay)
                // A month's margin: stories start up to 30 days after the record, and nothing may pass the last day.
                : RandomDay(DemoDataGenerator.FirstDay, DemoDataGenerator.LastDay.AddDays(-31));
        person.Known = known;
        person.Customer.CreatedAt = At(known);

        switch (profile)
        {
            case Profile.NewCar when company:
                var fleetSize = _rng.Next(1, 4);
                for (var k = 0; k < fleetSize; k++)
                {
                    var start = known.AddDays(_rng.Next(0, 400));
                    if (k == 0 || start < DemoDataGenerator.LastDay)
                    {
                        _fleet.Add(NewCar(person, Min(start, DemoDataGenerator.LastDay), replacements: 1));
                    }
                }

                break;
            case Profile.NewCar:
                NewCar(person, known.AddDays(_rng.Next(0, 21)), replacements: 1);
                if (_rng.Chance(0.12))
                {
                    var second = known.AddDays(_rng.Next(30, 1500));
                    if (second < DemoDataGenerator.LastDay)
                    {
                        NewCar(person, second, replacements: 0);
                    }
                }

                break;
            case Profile.UsedCar:
                UsedCar(person, used);
                break;
            case Profile.ServiceOnly:
                ServiceOnly(person);
                break;
            case Profile.Prospect:
                Prospect(person, known.AddDays(_rng.Next(0, 14)));
                break;
            case Profile.Breakdown:
                Breakdown(person);
                break;
            case Profile.ContactOnly:
                ContactOnly(person, fleetCar);
                break;
        }

        AddConsents(person);
        return person;
    }

    private PersonState NewPerson(int index, int group, bool company)
    {
        var male = _rng.Chance(0.5);
        var first = male ? _rng.Pick(DemoVocabulary.MaleFirstNames) : _rng.Pick(DemoVocabulary.FemaleFirstNames);
        var last = _rng.Pick(DemoVocabulary.LastNames);
        var customer = new Customer
        {
            DealerGroupId = _catalogue.Groups[group].Id,
            BuyerType = company ? BuyerType.Company : BuyerType.Person,
            Title = company && _rng.Chance(0.5) ? null : _rng.Pick(male ? DemoVocabulary.MaleTitles : DemoVocabulary.FemaleTitles),
            FirstName = first,
            MiddleName = !company && _rng.Chance(0.3) ? _rng.Pick(DemoVocabulary.MiddleNames) : null,
            LastName = last,
            CompanyName = company ? CompanyName(last) : null,
            DateOfBirth = company ? null : RandomDay(OldestBirth, YoungestBirth),
            InsuredAccidents = InsuredAccidents(),
            Source = (CustomerSource)_rng.PickWeighted(SourceWeights),
            SourceReference = DemoSourceReference.Format(index, null),
            WholesaleCustomer = new WholesaleCustomer { NetworkId = _catalogue.NetworkId },
        };

        var person = new PersonState(customer, group, index);
        customer.Addresses.Add(NewAddress(group, company ? AddressKind.Work : AddressKind.Home, out var town));
        var emails = _rng.Next(100) switch
        {
            < 12 => 0,
            < 85 => 1,
            _ => 2,
        };
        for (var k = 0; k < emails; k++)
        {
            customer.Emails.Add(NewEmail(first, last, index, k, isPrimary: k == 0));
        }

        var phones = _rng.Next(100) switch
        {
            < 8 => 0,
            < 78 => 1,
            _ => 2,
        };
        var mobileFirst = _rng.Chance(0.8);
        for (var k = 0; k < phones; k++)
        {
            // Customers abroad are given UK mobiles: a foreign landline would need its own numbering plan.
            var mobile = (k == 0 ? mobileFirst : !mobileFirst) || town is null;
            customer.Phones.Add(new CustomerPhone
            {
                Kind = mobile ? PhoneKind.Mobile : company ? PhoneKind.Work : PhoneKind.Home,
                Number = mobile ? Mobile(index, k) : Landline(town!, index, k),
                IsPrimary = k == 0,
            });
        }

        return person;
    }

    private PersonState Duplicate(int index, PersonState original)
    {
        var source = original.Customer;
        var errors = DuplicateErrors.None;
        var group = original.Group;
        if (_rng.Chance(0.2) && _catalogue.Groups.Length > 1)
        {
            group = (group + _rng.Next(1, _catalogue.Groups.Length)) % _catalogue.Groups.Length;
            errors |= DuplicateErrors.OtherGroup;
        }

        var customer = new Customer
        {
            DealerGroupId = _catalogue.Groups[group].Id,
            BuyerType = BuyerType.Person,
            Title = source.Title,
            FirstName = source.FirstName,
            MiddleName = source.MiddleName,
            LastName = source.LastName,
            DateOfBirth = source.DateOfBirth,
            InsuredAccidents = source.InsuredAccidents,
            // The second record usually arrives from another dealer's DMS export.
            Source = _rng.Chance(0.7) ? CustomerSource.ImportFile : CustomerSource.Manual,
            SourceReference = DemoSourceReference.Format(index, original.Index),
            WholesaleCustomer = new WholesaleCustomer { NetworkId = _catalogue.NetworkId },
        };
        var person = new PersonState(customer, group, index);

        // Most duplicates differ in one or two ways; some are the same details typed in again.
        var wanted = _rng.Next(100) switch
        {
            < 10 => 0,
            < 65 => 1,
            _ => 2,
        };
        for (var attempt = 0; attempt < 12 && BitCount(errors & ~DuplicateErrors.OtherGroup) < wanted; attempt++)
        {
            var error = (DuplicateErrors)(1 << _rng.Next(7));
            if ((errors & error) != 0)
            {
                continue;
            }

            var applied = error switch
            {
                DuplicateErrors.NameTypo => TypoInName(customer),
                DuplicateErrors.SwappedNames => SwapNames(customer),
                DuplicateErrors.Nickname => UseNickname(customer),
                DuplicateErrors.MovedHouse => true,
                DuplicateErrors.NewEmail => true,
                DuplicateErrors.DroppedMiddleName => DropMiddleName(customer),
                DuplicateErrors.DateOfBirthDayMonthSwapped => SwapDayAndMonth(customer),
                _ => false,
            };
            if (applied)
            {
                errors |= error;
            }
        }

        var address = source.Addresses[0];
        customer.Addresses.Add((errors & DuplicateErrors.MovedHouse) != 0
            ? NewAddress(group, AddressKind.Home, out _)
            : new CustomerAddress
            {
                Kind = address.Kind,
                IsPrimary = true,
                Line1 = address.Line1,
                Line2 = address.Line2,
                City = address.City,
                Region = address.Region,
                Postcode = address.Postcode,
                CountryCode = address.CountryCode,
            });
        if ((errors & DuplicateErrors.NewEmail) != 0)
        {
            customer.Emails.Add(NewEmail(source.FirstName!, source.LastName!, index, 0, isPrimary: true));
        }
        else if (source.Emails.Count > 0 && _rng.Chance(0.8))
        {
            var email = source.Emails[0];
            customer.Emails.Add(new CustomerEmail { Address = email.Address, NormalisedAddress = email.NormalisedAddress, IsPrimary = true });
        }

        if (source.Phones.Count > 0 && _rng.Chance(0.85))
        {
            var phone = source.Phones[0];
            customer.Phones.Add(new CustomerPhone { Kind = phone.Kind, Number = phone.Number, IsPrimary = true });
        }

        var known = Min(original.Known.AddDays(_rng.Next(30, 1500)), DemoDataGenerator.LastDay.AddDays(-1));
        person.Known = known;
        customer.CreatedAt = At(known);

        // The second record usually exists because another dealer services the person's car.
        var serviced = false;
        if (original.Holdings.Count > 0 && _rng.Chance(0.75))
        {
            var holding = original.Holdings[_rng.Next(original.Holdings.Count)];
            var start = Max(known, holding.From.AddDays(30));
            if (start < (holding.Until ?? DemoDataGenerator.LastDay))
            {
                var dealer = ServicerFor(group, holding.Vehicle.BrandId);
                var r = Rel(person, dealer, holding.Vehicle, RelationshipType.Servicing, start);
                Read(holding.Vehicle, start, MileageSource.ServiceVisit, dealer.Id);
                if (holding.Until is { } until)
                {
                    End(person, holding.Vehicle, r, until, holding.Reason!.Value);
                }

                serviced = true;
            }
        }

        if (!serviced)
        {
            Prospect(person, known);
        }

        AddConsents(person);
        errors |= Harden(customer, source, index, errors);
        _sink.Duplicates.Add(new PlantedDuplicate(customer, source, errors));
        return person;
    }

    /// <summary>Stamps what is known only once the story is told, and hands the customer to the sink.</summary>
    private void Finish(PersonState person)
    {
        var customer = person.Customer;
        customer.UpdatedAt = person.LastTouched > person.Known ? At(person.LastTouched) : customer.CreatedAt;
        customer.ResponsibleDealerId = person.ResponsibleDealerId ?? _rng.Pick(_catalogue.Dealers[person.Group]).Id;
        customer.PaymentMethod = person.LastPayment;
        customer.WholesaleCustomer!.CreatedAt = customer.CreatedAt;
        customer.WholesaleCustomer.UpdatedAt = customer.UpdatedAt;
        _sink.Customers.Add(customer);
    }

    /// <summary>
    /// A new vehicle bought from a dealer of the group, perhaps after a prospect period; later serviced at the same
    /// dealer (the sale superseded by servicing) or at another; perhaps traded in for the next new one, sold
    /// privately, scrapped, stolen or exported.
    /// </summary>
    private Holding NewCar(PersonState person, DateOnly purchase, int replacements, PaymentMethod? payment = null)
    {
        var group = person.Group;
        var dealer = _rng.Pick(_catalogue.Sellers[group]);
        var brandId = _rng.Pick(_catalogue.BrandsSoldBy[dealer.Id]);
        var vehicle = NewVehicle(_catalogue.MakeByBrand[brandId], purchase, purchase);
        var holding = new Holding(vehicle, purchase, group, dealer);
        person.Holdings.Add(holding);

        if (_rng.Chance(0.3))
        {
            // The enquiry cannot predate the customer record.
            var enquiry = Max(person.Known, purchase.AddDays(-_rng.Next(7, 90)));
            if (enquiry < purchase)
            {
                var prospect = Rel(person, dealer, vehicle, RelationshipType.Prospect, enquiry);
                End(person, vehicle, prospect, purchase, RelationshipEndReason.Superseded);
            }
        }

        payment ??= person.Customer.BuyerType == BuyerType.Company
            ? (_rng.Chance(0.6) ? PaymentMethod.Lease : PaymentMethod.Finance)
            : (PaymentMethod)_rng.PickWeighted(PaymentWeights);
        var selling = Rel(person, dealer, vehicle, RelationshipType.Selling, purchase, payment);
        holding.Open.Add(selling);
        person.Paid(purchase, payment.Value);
        Read(vehicle, purchase, MileageSource.Sale, dealer.Id);

        var (end, reason) = Departure(purchase, replacements > 0 ? 0.35 : 0, 0.08);
        var limit = end ?? DemoDataGenerator.LastDay.AddDays(1);
        var firstService = purchase.AddDays(_rng.Next(330, 420));
        if (firstService < limit && _rng.Chance(0.75))
        {
            var servicer = _catalogue.Organisation.Services(dealer, brandId) && _rng.Chance(0.7)
                ? dealer
                : OtherServicer(group, brandId, dealer);
            if (servicer is not null)
            {
                if (servicer.Id == dealer.Id)
                {
                    End(person, vehicle, selling, firstService, RelationshipEndReason.Superseded);
                    holding.Open.Remove(selling);
                }

                holding.Open.Add(Rel(person, servicer, vehicle, RelationshipType.Servicing, firstService));
                Read(vehicle, firstService, MileageSource.ServiceVisit, servicer.Id);
                var later = firstService.AddDays(_rng.Next(365, 1100));
                if (later < limit && _rng.Chance(0.4))
                {
                    Read(vehicle, later, MileageSource.ServiceVisit, servicer.Id);
                }
            }
        }

        MaybeCherishedPlate(vehicle, purchase, limit);
        if (end is { } day)
        {
            Leave(person, holding, day, reason!.Value);
            if (reason == RelationshipEndReason.SoldAsTradeIn)
            {
                var next = NewCar(person, day, replacements - 1, PaymentMethod.TradeInDeal);
                _pool.Add(new PoolEntry(vehicle, day, TradeIn: true, group, next.Dealer));
            }
            else if (reason == RelationshipEndReason.SoldPrivately)
            {
                _pool.Add(new PoolEntry(vehicle, day, TradeIn: false, group, dealer));
            }
        }

        return holding;
    }

    /// <summary>
    /// A vehicle that changed hands earlier in the block: a trade-in resold by the dealer that took it in (a sale
    /// starting on the day of the trade-in), or a private sale after which the buyer has it serviced in their own
    /// group. Without such a vehicle, a used car from the dealer's stock.
    /// </summary>
    private void UsedCar(PersonState person, PoolEntry? used)
    {
        var group = person.Group;
        VehicleState vehicle;
        Dealer dealer;
        DateOnly start;
        Relationship first;
        if (used is { TradeIn: true })
        {
            (vehicle, dealer, start) = (used.Vehicle, used.Dealer, used.SaleDate);
            var payment = (PaymentMethod)_rng.PickWeighted(PaymentWeights);
            first = Rel(person, dealer, vehicle, RelationshipType.Selling, start, payment);
            person.Paid(start, payment);
            Read(vehicle, start, MileageSource.Sale, dealer.Id);
        }
        else if (used is not null)
        {
            (vehicle, start) = (used.Vehicle, used.SaleDate);
            dealer = ServicerFor(group, vehicle.BrandId);
            first = Rel(person, dealer, vehicle, RelationshipType.Servicing, start);
            Read(vehicle, start, MileageSource.Desk, dealer.Id);
        }
        else
        {
            start = person.Known.AddDays(_rng.Next(0, 21));
            dealer = _rng.Pick(_catalogue.Dealers[group]);
            var make = AnyMake(0.7);
            var registered = Max(OldestRegistration, start.AddDays(-_rng.Next(365, 2500)));
            vehicle = NewVehicle(make, registered, start);
            var payment = (PaymentMethod)_rng.PickWeighted(PaymentWeights);
            first = Rel(person, dealer, vehicle, RelationshipType.Selling, start, payment);
            person.Paid(start, payment);
            Read(vehicle, start, MileageSource.Sale, dealer.Id);
        }

        var holding = new Holding(vehicle, start, group, dealer);
        holding.Open.Add(first);
        person.Holdings.Add(holding);
        var (end, reason) = Departure(start, 0, 0);
        if (first.Type == RelationshipType.Selling && _rng.Chance(0.5))
        {
            var service = start.AddDays(_rng.Next(300, 500));
            if (service < (end ?? DemoDataGenerator.LastDay.AddDays(1)))
            {
                End(person, vehicle, first, service, RelationshipEndReason.Superseded);
                holding.Open.Remove(first);
                holding.Open.Add(Rel(person, dealer, vehicle, RelationshipType.Servicing, service));
                Read(vehicle, service, MileageSource.ServiceVisit, dealer.Id);
            }
        }

        if (end is { } day)
        {
            Leave(person, holding, day, reason!.Value);
        }
    }

    /// <summary>A car bought elsewhere (often another make) that a dealer of the group services.</summary>
    private void ServiceOnly(PersonState person)
    {
        var group = person.Group;
        var start = person.Known.AddDays(_rng.Next(0, 30));
        DemoMake make;
        Dealer dealer;
        if (_rng.Chance(0.65) && _catalogue.ServicedBrands[group].Length > 0)
        {
            var brandId = _rng.Pick(_catalogue.ServicedBrands[group]);
            make = _catalogue.MakeByBrand[brandId];
            dealer = _rng.Pick(_catalogue.Servicers[group][brandId]);
        }
        else
        {
            make = _rng.Pick(_catalogue.OtherMakes);
            dealer = _rng.Pick(_catalogue.Dealers[group]);
        }

        var vehicle = NewVehicle(make, Max(OldestRegistration, start.AddDays(-_rng.Next(200, 3000))), start);
        var holding = new Holding(vehicle, start, group, dealer);
        person.Holdings.Add(holding);
        holding.Open.Add(Rel(person, dealer, vehicle, RelationshipType.Servicing, start));
        Read(vehicle, start, MileageSource.ServiceVisit, dealer.Id);
        var (end, reason) = Departure(start, 0, 0.10);
        var later = start.AddDays(_rng.Next(330, 800));
        if (later < (end ?? DemoDataGenerator.LastDay) && _rng.Chance(0.4))
        {
            Read(vehicle, later, MileageSource.ServiceVisit, dealer.Id);
        }

        MaybeCherishedPlate(vehicle, start, end ?? DemoDataGenerator.LastDay.AddDays(1));
        if (end is { } day)
        {
            Leave(person, holding, day, reason!.Value);
            if (reason == RelationshipEndReason.SoldPrivately)
            {
                _pool.Add(new PoolEntry(vehicle, day, TradeIn: false, group, dealer));
            }
        }
    }

    /// <summary>Interest in a vehicle from the dealer's stock (often not yet registered) that did not lead to a sale.</summary>
    private void Prospect(PersonState person, DateOnly start)
    {
        start = Min(start, DemoDataGenerator.LastDay);
        var dealer = _rng.Pick(_catalogue.Sellers[person.Group]);
        var brandId = _rng.Pick(_catalogue.BrandsSoldBy[dealer.Id]);
        var registered = _rng.Chance(0.4) ? Max(OldestRegistration, start.AddDays(-_rng.Next(30, 200))) : (DateOnly?)null;
        var vehicle = NewVehicle(_catalogue.MakeByBrand[brandId], registered, start);
        var prospect = Rel(person, dealer, vehicle, RelationshipType.Prospect, start);
        var end = start.AddDays(_rng.Next(14, 120));
        if (end <= DemoDataGenerator.LastDay)
        {
            End(person, vehicle, prospect, end, RelationshipEndReason.Other);
        }
    }

    /// <summary>A vehicle recovered to a dealer after a breakdown; some owners then have it serviced there.</summary>
    private void Breakdown(PersonState person)
    {
        var start = person.Known.AddDays(_rng.Next(0, 10));
        var dealer = _rng.Pick(_catalogue.Dealers[person.Group]);
        var vehicle = NewVehicle(AnyMake(0.6), Max(OldestRegistration, start.AddDays(-_rng.Next(100, 4000))), start);
        var holding = new Holding(vehicle, start, person.Group, dealer);
        person.Holdings.Add(holding);
        var breakdown = Rel(person, dealer, vehicle, RelationshipType.Breakdown, start);
        Read(vehicle, start, MileageSource.Other, dealer.Id);
        var end = start.AddDays(_rng.Next(1, 7));
        if (end > DemoDataGenerator.LastDay)
        {
            holding.Open.Add(breakdown);
            return;
        }

        if (_rng.Chance(0.4))
        {
            End(person, vehicle, breakdown, end, RelationshipEndReason.Superseded);
            holding.Open.Add(Rel(person, dealer, vehicle, RelationshipType.Servicing, end));
        }
        else
        {
            End(person, vehicle, breakdown, end, RelationshipEndReason.Other);
            holding.Until = end;
            holding.Reason = RelationshipEndReason.Other;
        }
    }

    /// <summary>The driver of a company's car, known to the company's dealer; otherwise a family car the person is the contact for.</summary>
    private void ContactOnly(PersonState person, Holding? fleetCar)
    {
        if (fleetCar is not null)
        {
            var start = Max(person.Known, fleetCar.From);
            if (start < (fleetCar.Until ?? DemoDataGenerator.LastDay.AddDays(1)))
            {
                var r = Rel(person, fleetCar.Dealer, fleetCar.Vehicle, RelationshipType.ContactOnly, start);
                if (fleetCar.Until is { } until)
                {
                    End(person, fleetCar.Vehicle, r, until, fleetCar.Reason!.Value);
                }

                return;
            }
        }

        var dealer = _rng.Pick(_catalogue.Dealers[person.Group]);
        var vehicle = NewVehicle(AnyMake(0.5), Max(OldestRegistration, person.Known.AddDays(-_rng.Next(100, 2000))), person.Known);
        Rel(person, dealer, vehicle, RelationshipType.ContactOnly, person.Known);
    }

    /// <summary>When and why a vehicle leaves its owner, if it does before the demo's last day.</summary>
    private (DateOnly? End, RelationshipEndReason? Reason) Departure(DateOnly from, double tradeIn, double privateSale)
    {
        var roll = _rng.NextDouble();
        (DateOnly day, RelationshipEndReason reason) = roll switch
        {
            _ when roll < tradeIn => (from.AddDays(_rng.Next(730, 1826)), RelationshipEndReason.SoldAsTradeIn),
            _ when roll < tradeIn + privateSale => (from.AddDays(_rng.Next(400, 2500)), RelationshipEndReason.SoldPrivately),
            _ when roll < tradeIn + privateSale + 0.04 => (from.AddDays(_rng.Next(900, 3000)), RelationshipEndReason.Scrapped),
            _ when roll < tradeIn + privateSale + 0.05 => (from.AddDays(_rng.Next(60, 2000)), _rng.Chance(0.5) ? RelationshipEndReason.Stolen : RelationshipEndReason.Exported),
            _ => (DateOnly.MaxValue, RelationshipEndReason.Other),
        };
        return day <= DemoDataGenerator.LastDay ? (day, reason) : (null, null);
    }

    /// <summary>The vehicle leaves its owner: every current relationship of the owner with it ends that day.</summary>
    private void Leave(PersonState person, Holding holding, DateOnly day, RelationshipEndReason reason)
    {
        foreach (var r in holding.Open)
        {
            End(person, holding.Vehicle, r, day, reason);
        }

        holding.Open.Clear();
        holding.Until = day;
        holding.Reason = reason;
    }

    private Relationship Rel(PersonState person, Dealer dealer, VehicleState vehicle, RelationshipType type, DateOnly start,
        PaymentMethod? payment = null)
    {
        if (dealer.DealerGroupId != person.Customer.DealerGroupId)
        {
            throw new InvalidOperationException($"Demo data error: dealer {dealer.Code} is not in the customer's group.");
        }

        var at = At(start);
        var relationship = new Relationship
        {
            DealerId = dealer.Id,
            DealerGroupId = dealer.DealerGroupId,
            Customer = person.Customer,
            Vehicle = vehicle.Vehicle,
            Type = type,
            StartDate = start,
            PaymentMethod = type == RelationshipType.Selling ? payment : null,
            CreatedAt = at,
            UpdatedAt = at,
        };
        _sink.Relationships.Add(relationship);
        person.Started(start, dealer.Id);
        vehicle.Touch(start);
        return relationship;
    }

    private void End(PersonState person, VehicleState vehicle, Relationship relationship, DateOnly day, RelationshipEndReason reason)
    {
        relationship.End(day, reason);
        relationship.UpdatedAt = At(day);
        person.Touch(day);
        vehicle.Touch(day);
    }

    private static void Read(VehicleState vehicle, DateOnly day, MileageSource source, long? dealerId)
    {
        var since = vehicle.Vehicle.FirstRegistrationDate ?? day;
        var miles = vehicle.DeliveryMiles + (int)(vehicle.MilesPerDay * Math.Max(0, day.DayNumber - since.DayNumber));
        vehicle.Vehicle.RecordMileage(day, miles, MileageUnit.Miles, source, dealerId);
    }

    private VehicleState NewVehicle(DemoMake make, DateOnly? registered, DateOnly knownOn)
    {
        var ordinal = _vehicles.Count;
        if (ordinal >= VehicleCapacity)
        {
            throw new InvalidOperationException($"Demo data error: a block created more than {VehicleCapacity} vehicles.");
        }

        var number = (ulong)_block * VehicleCapacity + (ulong)ordinal;
        var year = (registered ?? knownOn).Year;
        var model = _rng.Pick(make.Models);
        for (var attempt = 0; attempt < 4 && model.FromYear > year; attempt++)
        {
            model = _rng.Pick(make.Models);
        }

        var fuel = _rng.Pick(model.Fuels);
        var (vin, warning) = NewVin(make, year, number);
        var vehicle = new Vehicle
        {
            NetworkId = _catalogue.NetworkId,
            Vin = vin,
            VinWarning = warning,
            BrandId = _catalogue.BrandIdOf(make),
            Make = _catalogue.BrandIdOf(make) is null ? make.Name : null,
            Model = model.Name,
            Derivative = _rng.Pick(model.Derivatives),
            BodyType = _rng.Pick(model.Bodies),
            FuelType = fuel,
            Transmission = fuel == FuelType.Electric || _rng.Chance(0.55) ? Transmission.Automatic : Transmission.Manual,
            Colour = _rng.Pick(DemoVocabulary.Colours),
            ModelYear = year,
            FirstRegistrationDate = registered,
        };
        if (registered is { } day)
        {
            var plate = AgeRelatedPlate(day, number);
            vehicle.Plates.Add(new PlateRegistration { Plate = plate, ValidFrom = day });
            vehicle.CurrentPlate = plate;
        }

        var state = new VehicleState(vehicle, _catalogue.BrandIdOf(make), number, 8 + _rng.NextDouble() * 37, 5 + _rng.Next(25), knownOn);
        _vehicles.Add(state);
        return state;
    }

    /// <summary>
    /// A 17-character VIN without I, O and Q whose serial part encodes the vehicle's number, so VINs are unique.
    /// North American identifiers (first character 1-5) get the correct check digit, except a planted few with a
    /// wrong one, which carry the warning <see cref="Vin.Check"/> gives.
    /// </summary>
    private (string Vin, string? Warning) NewVin(DemoMake make, int modelYear, ulong number)
    {
        Span<char> chars = stackalloc char[17];
        _rng.Pick(make.Wmis).CopyTo(chars);
        for (var i = 3; i < 8; i++)
        {
            chars[i] = DemoVocabulary.VinCharacters[_rng.Next(DemoVocabulary.VinCharacters.Length)];
        }

        chars[8] = '0';
        chars[9] = DemoVocabulary.ModelYearCode(modelYear);
        var serial = Scramble.Into(number, 20_000_000);
        chars[10] = PlantLetters[(int)(serial / 1_000_000)];
        var digits = serial % 1_000_000;
        for (var i = 16; i >= 11; i--)
        {
            chars[i] = (char)('0' + (int)(digits % 10));
            digits /= 10;
        }

        if (chars[0] is < '1' or > '5')
        {
            chars[8] = DemoVocabulary.VinCharacters[_rng.Next(DemoVocabulary.VinCharacters.Length)];
            return (new string(chars), null);
        }

        var check = Vin.ComputeCheckDigit(new string(chars));
        if (!_rng.Chance(0.01))
        {
            chars[8] = check;
            return (new string(chars), null);
        }

        const string checkDigits = "0123456789X";
        var wrong = checkDigits[(checkDigits.IndexOf(check, StringComparison.Ordinal) + _rng.Next(1, checkDigits.Length)) % checkDigits.Length];
        chars[8] = wrong;
        var planted = new string(chars);
        return (planted, Vin.Check(planted).Warning);
    }

    /// <summary>Current GB format "AB12CDE": the age identifier follows the registration date (March: year, September: year + 50).</summary>
    private static string AgeRelatedPlate(DateOnly registered, ulong number)
    {
        var age = registered.Month switch
        {
            >= 9 => registered.Year % 100 + 50,
            >= 3 => registered.Year % 100,
            _ => (registered.Year - 1) % 100 + 50,
        };
        // Letters follow the vehicle number, as DVLA issues them in sequence: new plates land at the end of the
        // plate indexes instead of all over them, which keeps the bulk load fast.
        var code = number;
        Span<char> letters = stackalloc char[5];
        for (var i = 4; i >= 0; i--)
        {
            letters[i] = DemoVocabulary.PlateLetters[(int)(code % 23)];
            code /= 23;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{letters[0]}{letters[1]}{age:D2}{letters[2]}{letters[3]}{letters[4]}");
    }

    /// <summary>Some owners put a dateless "cherished" plate (ABC123) on the car: the plate history gets a second period.</summary>
    private void MaybeCherishedPlate(VehicleState state, DateOnly from, DateOnly limit)
    {
        var vehicle = state.Vehicle;
        if (vehicle.Plates.Count == 0 || !_rng.Chance(0.1))
        {
            return;
        }

        var day = from.AddDays(_rng.Next(60, 2000));
        if (day >= limit || day > DemoDataGenerator.LastDay)
        {
            return;
        }

        var code = state.Number;
        var digits = (int)(code % 999) + 1;
        code /= 999;
        Span<char> letters = stackalloc char[3];
        for (var i = 2; i >= 0; i--)
        {
            letters[i] = DemoVocabulary.PlateLetters[(int)(code % 23)];
            code /= 23;
        }

        var plate = string.Create(CultureInfo.InvariantCulture, $"{letters[0]}{letters[1]}{letters[2]}{digits}");
        vehicle.Plates[^1].ValidTo = day;
        vehicle.Plates.Add(new PlateRegistration { Plate = plate, ValidFrom = day });
        vehicle.CurrentPlate = plate;
        state.Touch(day);
    }

    private void AddConsents(PersonState person)
    {
        if (!_rng.Chance(0.4))
        {
            return;
        }

        var customer = person.Customer;
        long? brandId = null;
        foreach (var holding in person.Holdings)
        {
            if (holding.Vehicle.BrandId is { } id)
            {
                brandId = id;
                break;
            }
        }

        var dealerId = person.ResponsibleDealerId ?? _rng.Pick(_catalogue.Dealers[person.Group]).Id;
        var statements = _rng.Next(1, 4);
        var firstChannel = _rng.Next(4);
        for (var k = 0; k < statements; k++)
        {
            var channel = (ConsentChannel)((firstChannel + k) % 4);
            var purpose = _rng.Chance(0.7) ? ConsentPurpose.Marketing : ConsentPurpose.ServiceMessages;
            var byBrand = brandId is not null && _rng.Chance(0.6);
            var status = _rng.Chance(0.85) ? ConsentStatus.OptIn : ConsentStatus.OptOut;
            var day = Min(person.Known.AddDays(_rng.Next(0, 60)), DemoDataGenerator.LastDay);
            var source = (ConsentSource)_rng.PickWeighted(ConsentSourceWeights);
            var evidence = source switch
            {
                ConsentSource.Form => _rng.Pick(DemoVocabulary.FormEvidence),
                ConsentSource.Desk => _rng.Pick(DemoVocabulary.DeskEvidence),
                ConsentSource.ImportFile => "DMS consent export",
                _ => null,
            };
            customer.Consents.Add(ConsentState.Create(0, channel, purpose, byBrand ? brandId : null, byBrand ? null : dealerId,
                status, At(day), source, evidence));
            person.Touch(day);

            // Some change their mind: the opt-in is followed by an opt-out, and history keeps both.
            if (status == ConsentStatus.OptIn && _rng.Chance(0.25))
            {
                var later = day.AddDays(_rng.Next(30, 900));
                if (later <= DemoDataGenerator.LastDay)
                {
                    customer.Consents.Add(ConsentState.Create(0, channel, purpose, byBrand ? brandId : null, byBrand ? null : dealerId,
                        ConsentStatus.OptOut, At(later), ConsentSource.Portal, "Unsubscribe link in e-mail"));
                    person.Touch(later);
                }
            }
        }
    }

    /// <summary>A primary address; <paramref name="town"/> is the GB town (null abroad), whose dialling code landlines use.</summary>
    private CustomerAddress NewAddress(int group, AddressKind kind, out DemoTown? town)
    {
        var roll = _rng.Next(1000);
        if (roll < 25)
        {
            town = null;
            var (city, pattern, country) = _rng.Pick(DemoVocabulary.ForeignTowns);
            return new CustomerAddress
            {
                Kind = kind,
                IsPrimary = true,
                Line1 = string.Create(CultureInfo.InvariantCulture, $"{_rng.Next(1, 120)} {_rng.Pick(DemoVocabulary.Streets)}"),
                City = city,
                Postcode = FillPattern(pattern),
                CountryCode = country,
            };
        }

        // Most customers live in their group's region.
        var region = roll < 875 ? _catalogue.GroupRegions[group] : _rng.Next(DemoVocabulary.TownsByRegion.Length);
        town = _rng.Pick(DemoVocabulary.TownsByRegion[region]);
        var inward0 = DemoVocabulary.PostcodeInwardLetters[_rng.Next(DemoVocabulary.PostcodeInwardLetters.Length)];
        var inward1 = DemoVocabulary.PostcodeInwardLetters[_rng.Next(DemoVocabulary.PostcodeInwardLetters.Length)];
        return new CustomerAddress
        {
            Kind = kind,
            IsPrimary = true,
            Line1 = string.Create(CultureInfo.InvariantCulture, $"{_rng.Next(1, 240)} {_rng.Pick(DemoVocabulary.Streets)}"),
            Line2 = _rng.Chance(0.1) ? _rng.Pick(DemoVocabulary.Line2Prefixes) : null,
            City = town.Name,
            Region = town.Region,
            Postcode = string.Create(CultureInfo.InvariantCulture, $"{town.PostcodeArea}{_rng.Next(1, town.MaxDistrict + 1)} {_rng.Next(1, 10)}{inward0}{inward1}"),
            CountryCode = "GB",
        };
    }

    private string FillPattern(string pattern) => string.Create(pattern.Length, this, (span, self) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = pattern[i] switch
            {
                '#' => (char)('0' + self._rng.Next(10)),
                '@' => DemoVocabulary.PostcodeInwardLetters[self._rng.Next(DemoVocabulary.PostcodeInwardLetters.Length)],
                var ch => ch,
            };
        }
    });

    /// <summary>
    /// An e-mail address from the person's names in one of the usual shapes, made unique by a number derived from
    /// the record index (slot k of the record), so two different people never share an address. The shapes start
    /// with the surname: the wholesale table is loaded in name order, and addresses that follow the same order keep
    /// its e-mail index from being written all over (see <see cref="DemoRows"/>).
    /// </summary>
    private CustomerEmail NewEmail(string firstName, string lastName, int index, int slot, bool isPrimary)
    {
        var first = _catalogue.EmailSpelling.GetValueOrDefault(firstName) ?? firstName.ToLowerInvariant();
        var last = _catalogue.EmailSpelling.GetValueOrDefault(lastName) ?? lastName.ToLowerInvariant();
        var tag = Scramble.Into((ulong)index * 2 + (ulong)slot, 10_000_000);
        var domain = _rng.Pick(DemoVocabulary.EmailDomains);
        var address = _rng.Next(5) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"{last}.{first}{tag}@{domain}"),
            1 => string.Create(CultureInfo.InvariantCulture, $"{last}{first}{tag}@{domain}"),
            2 => string.Create(CultureInfo.InvariantCulture, $"{last}.{first[0]}{tag}@{domain}"),
            3 => string.Create(CultureInfo.InvariantCulture, $"{last}_{first}{tag}@{domain}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{last}{tag}@{domain}"),
        };
        var normalised = address;
        if (_rng.Chance(0.1))
        {
            // Typed with capitals: the normalised form is what look-ups compare.
            address = string.Create(address.Length, address, (span, source) =>
            {
                source.CopyTo(span);
                span[0] = char.ToUpperInvariant(span[0]);
            });
        }

        return new CustomerEmail { Address = address, NormalisedAddress = normalised, IsPrimary = isPrimary };
    }

    /// <summary>
    /// UK mobile numbers +4477/78/79.., one per (record, slot). They rise with the record index (a random step of
    /// up to 97), so new numbers land at the end of the phone index instead of all over it.
    /// </summary>
    private string Mobile(int index, int slot) =>
        string.Create(CultureInfo.InvariantCulture, $"+447{700_000_000 + ((ulong)index * 2 + (ulong)slot) * 97 + (ulong)_rng.Next(97)}");

    /// <summary>
    /// A landline in the area code of the customer's town: ten national digits, the subscriber part starting 2-9
    /// and rising with the record index like mobiles (in each area code).
    /// </summary>
    private string Landline(DemoTown town, int index, int slot)
    {
        ulong unit = 1;
        for (var i = 1; i < 10 - town.DialCode.Length; i++)
        {
            unit *= 10;
        }

        var subscriber = 2 * unit + (((ulong)index * 2 + (ulong)slot) * 3 + (ulong)_rng.Next(3)) % (8 * unit);
        return string.Create(CultureInfo.InvariantCulture, $"+44{town.DialCode}{subscriber}");
    }

    private string CompanyName(string lastName)
    {
        var town = _rng.Pick(_rng.Pick(DemoVocabulary.TownsByRegion));
        return _rng.Next(3) switch
        {
            0 => $"{lastName} {_rng.Pick(DemoVocabulary.CompanySuffixes)}",
            1 => $"{lastName} & {_rng.Pick(DemoVocabulary.LastNames)} {_rng.Pick(DemoVocabulary.CompanySuffixes)}",
            _ => $"{town.Name} {_rng.Pick(DemoVocabulary.CompanySuffixes)}",
        };
    }

    private int InsuredAccidents() => _rng.Next(100) switch
    {
        < 80 => 0,
        < 95 => 1,
        < 99 => 2,
        _ => 3,
    };

    private bool TypoInName(Customer customer)
    {
        if (_rng.Chance(0.6))
        {
            customer.LastName = Typo(customer.LastName!);
        }
        else
        {
            customer.FirstName = Typo(customer.FirstName!);
        }

        return true;
    }

    private string Typo(string name) => Typo(name, ref _rng);

    /// <summary>One keying error after the initial: two letters swapped, one dropped, one doubled, or a vowel replaced.</summary>
    private static string Typo(string name, ref DemoRandom rng)
    {
        Span<char> chars = stackalloc char[name.Length + 1];
        name.CopyTo(chars);
        var length = name.Length;
        var op = length < 3 ? 2 : rng.Next(4);
        var at = length < 3 ? length - 1 : rng.Next(1, length - 1);
        var vowel = chars[1..length].IndexOfAny(Vowels) + 1;
        if (op == 0 && chars[at] != chars[at + 1])
        {
            (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
        }
        else if (op == 1 && length > 3)
        {
            chars[(at + 1)..length].CopyTo(chars[at..]);
            length--;
        }
        else if (op == 3 && vowel > 0)
        {
            chars[vowel] = Vowels[(Vowels.IndexOf(chars[vowel], StringComparison.Ordinal) + rng.Next(1, Vowels.Length)) % Vowels.Length];
        }
        else
        {
            chars[at..length].CopyTo(chars[(at + 1)..]);
            length++;
        }

        return new string(chars[..length]);
    }

    private static bool SwapNames(Customer customer)
    {
        (customer.FirstName, customer.LastName) = (customer.LastName, customer.FirstName);
        return true;
    }

    private bool UseNickname(Customer customer)
    {
        if (customer.FirstName is null || !DemoVocabulary.Nicknames.TryGetValue(customer.FirstName, out var nicknames))
        {
            return false;
        }

        customer.FirstName = _rng.Pick(nicknames);
        return true;
    }

    private static bool DropMiddleName(Customer customer)
    {
        if (customer.MiddleName is null)
        {
            return false;
        }

        customer.MiddleName = null;
        return true;
    }

    private static bool SwapDayAndMonth(Customer customer)
    {
        if (customer.DateOfBirth is not { } dob || dob.Day > 12 || dob.Day == dob.Month)
        {
            return false;
        }

        customer.DateOfBirth = new DateOnly(dob.Year, dob.Day, dob.Month);
        return true;
    }

    private int PickGroup() => _rng.PickWeighted(_catalogue.GroupCumulativeWeights);

    private DemoMake AnyMake(double networkShare) =>
        _rng.Chance(networkShare)
            ? _catalogue.MakeByBrand[_rng.Pick(_catalogue.Organisation.Brands).Id]
            : _rng.Pick(_catalogue.OtherMakes);

    /// <summary>A dealer of the group that services the brand; any dealer of the group for other makes or when none does.</summary>
    private Dealer ServicerFor(int group, long? brandId) =>
        brandId is { } id && _catalogue.Servicers[group][id] is { Length: > 0 } servicers
            ? _rng.Pick(servicers)
            : _rng.Pick(_catalogue.Dealers[group]);

    private Dealer? OtherServicer(int group, long brandId, Dealer except)
    {
        var servicers = _catalogue.Servicers[group][brandId];
        var count = servicers.Count(d => d.Id != except.Id);
        if (count == 0)
        {
            return null;
        }

        var pick = _rng.Next(count);
        foreach (var d in servicers)
        {
            if (d.Id != except.Id && pick-- == 0)
            {
                return d;
            }
        }

        return null;
    }

    private DateOnly RandomDay(DateOnly from, DateOnly to) => DateOnly.FromDayNumber(_rng.Next(from.DayNumber, to.DayNumber + 1));

    /// <summary>A UTC instant during business hours of the day.</summary>
    private DateTime At(DateOnly day) =>
        new(day.Year, day.Month, day.Day, _rng.Next(8, 19), _rng.Next(60), _rng.Next(60), DateTimeKind.Utc);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static int BitCount(DuplicateErrors errors) => System.Numerics.BitOperations.PopCount((uint)errors);

    /// <summary>A customer while its story is generated.</summary>
    private sealed class PersonState(Customer customer, int group, int index)
    {
        public Customer Customer { get; } = customer;
        public int Group { get; } = group;
        public int Index { get; } = index;
        public DateOnly Known { get; set; }
        public DateOnly LastTouched { get; private set; }
        public List<Holding> Holdings { get; } = [];
        public long? ResponsibleDealerId { get; private set; }
        public PaymentMethod? LastPayment { get; private set; }
        private DateOnly _lastStart;
        private DateOnly _lastPayment;

        public void Touch(DateOnly day)
        {
            if (day > LastTouched)
            {
                LastTouched = day;
            }
        }

        /// <summary>The dealer of the most recently started relationship is the one responsible for the customer.</summary>
        public void Started(DateOnly day, long dealerId)
        {
            Touch(day);
            if (ResponsibleDealerId is null || day >= _lastStart)
            {
                _lastStart = day;
                ResponsibleDealerId = dealerId;
            }
        }

        public void Paid(DateOnly day, PaymentMethod method)
        {
            if (LastPayment is null || day >= _lastPayment)
            {
                _lastPayment = day;
                LastPayment = method;
            }
        }
    }

    /// <summary>A vehicle in a customer's hands from a day, with the relationships that are open while they keep it.</summary>
    private sealed class Holding(VehicleState vehicle, DateOnly from, int group, Dealer dealer)
    {
        public VehicleState Vehicle { get; } = vehicle;
        public DateOnly From { get; } = from;
        public int Group { get; } = group;
        public Dealer Dealer { get; } = dealer;
        public List<Relationship> Open { get; } = [];
        public DateOnly? Until { get; set; }
        public RelationshipEndReason? Reason { get; set; }
    }

    private sealed class VehicleState(Vehicle vehicle, long? brandId, ulong number, double milesPerDay, int deliveryMiles, DateOnly firstSeen)
    {
        public Vehicle Vehicle { get; } = vehicle;
        public long? BrandId { get; } = brandId;
        public ulong Number { get; } = number;
        public double MilesPerDay { get; } = milesPerDay;
        public int DeliveryMiles { get; } = deliveryMiles;
        public DateOnly FirstSeen { get; private set; } = firstSeen;
        public DateOnly LastTouched { get; private set; } = firstSeen;

        public void Touch(DateOnly day)
        {
            if (day < FirstSeen)
            {
                FirstSeen = day;
            }

            if (day > LastTouched)
            {
                LastTouched = day;
            }
        }
    }

    /// <summary>A vehicle that left its owner and waits for the next one (a trade-in at a dealer, or a private sale).</summary>
    private sealed record PoolEntry(VehicleState Vehicle, DateOnly SaleDate, bool TradeIn, int Group, Dealer Dealer);
}
