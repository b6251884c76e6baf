using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The duplicates that make a steward's queue: second records that lost more on the way than a typo, and second
/// records of vehicles. Everything here draws from <see cref="_noise"/> only.
/// </summary>
internal sealed partial class DemoBlockGenerator
{
    /// <summary>
    /// Share of planted duplicates that arrive with little to be sure of (no phone, another e-mail, moved, one more
    /// slip): the matcher scores most of them between the review and automatic thresholds, the rest it merges or misses
    /// as it would in a live database.
    /// </summary>
    private const double HardDuplicateShare = 0.8;

    /// <summary>Share of people with a vehicle whose car was keyed in a second time.</summary>
    private const double VehicleDuplicateShare = 0.005;

    /// <summary>Degrades some planted duplicates further; returns the errors it added.</summary>
    private DuplicateErrors Harden(Customer customer, Customer source, int index, DuplicateErrors errors)
    {
        if (!_noise.Chance(HardDuplicateShare))
        {
            return DuplicateErrors.None;
        }

        // Nothing to be sure of: no phone, another e-mail, often another address.
        var added = DuplicateErrors.None;
        if (customer.Phones.Count > 0)
        {
            customer.Phones.Clear();
            added |= DuplicateErrors.MissingPhone;
        }

        if ((errors & DuplicateErrors.NewEmail) == 0 && customer.Emails.Count > 0)
        {
            customer.Emails.Clear();
            customer.Emails.Add(ChangedEmail(source, index));
            added |= DuplicateErrors.NewEmail;
        }

        if ((errors & DuplicateErrors.MovedHouse) == 0 && _noise.Chance(0.25))
        {
            MoveWithinTown(customer.Addresses[0]);
            added |= DuplicateErrors.MovedHouse;
        }

        // And the date of birth is not the one to go by: day and month swapped, or not given at all. A name slip
        // comes on top only where the names are still as the original has them, so one name is always kept.
        if ((errors & DuplicateErrors.DateOfBirthDayMonthSwapped) == 0 && _noise.Chance(0.5) && SwapDayAndMonth(customer))
        {
            added |= DuplicateErrors.DateOfBirthDayMonthSwapped;
        }
        else if (customer.DateOfBirth is not null && (errors & DuplicateErrors.DateOfBirthDayMonthSwapped) == 0 && KeepsAName(customer, source))
        {
            customer.DateOfBirth = null;
            added |= DuplicateErrors.MissingDateOfBirth;
        }

        const DuplicateErrors nameErrors = DuplicateErrors.NameTypo | DuplicateErrors.SwappedNames | DuplicateErrors.Nickname;
        if ((errors & nameErrors) == 0 && _noise.Chance(0.3))
        {
            if (_noise.Chance(0.6))
            {
                customer.LastName = Typo(customer.LastName!, ref _noise);
            }
            else
            {
                customer.FirstName = Typo(customer.FirstName!, ref _noise);
            }

            added |= DuplicateErrors.NameTypo;
        }

        return added;
    }

    private static bool KeepsAName(Customer customer, Customer source) =>
        customer.FirstName == source.FirstName || customer.LastName == source.LastName || customer.LastName == source.FirstName;

    /// <summary>An address the original never had, in another shape than the generated ones, so no one else has it.</summary>
    private CustomerEmail ChangedEmail(Customer source, int index)
    {
        var first = source.FirstName!.ToLowerInvariant();
        var last = source.LastName!.ToLowerInvariant();
        var tag = Scramble.Into((ulong)index, 1_000_003);
        var address = string.Create(CultureInfo.InvariantCulture, $"{first[0]}{last}.{tag}@{_noise.Pick(DemoVocabulary.EmailDomains)}");
        return new CustomerEmail { Address = address, NormalisedAddress = address, IsPrimary = true };
    }

    /// <summary>Moved within the same town: another house and street, the same postcode district.</summary>
    private void MoveWithinTown(CustomerAddress address)
    {
        var line1 = address.Line1;
        while (line1 == address.Line1)
        {
            line1 = string.Create(CultureInfo.InvariantCulture, $"{_noise.Next(1, 240)} {_noise.Pick(DemoVocabulary.Streets)}");
        }

        address.Line1 = line1;
        address.Line2 = null;
        var space = address.Postcode?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (address.CountryCode == "GB" && space > 0)
        {
            var letters = DemoVocabulary.PostcodeInwardLetters;
            address.Postcode = string.Create(CultureInfo.InvariantCulture,
                $"{address.Postcode![..space]} {_noise.Next(1, 10)}{letters[_noise.Next(letters.Length)]}{letters[_noise.Next(letters.Length)]}");
        }
    }

    /// <summary>
    /// A second record of a car a customer holds, serviced at the dealer that sold or first saw it: a mistyped VIN,
    /// the plate without a VIN, or the same car keyed in again. It is linked to the customer through that servicing
    /// relationship, so the duplicate-vehicle pass finds the two records under one customer.
    /// </summary>
    private void PlantVehicleDuplicates()
    {
        foreach (var person in _people)
        {
            if (person.Holdings.Count == 0 || !_noise.Chance(VehicleDuplicateShare))
            {
                continue;
            }

            var holding = person.Holdings[_noise.Next(person.Holdings.Count)];
            var end = Min(holding.Until ?? DemoDataGenerator.LastDay, DemoDataGenerator.LastDay);
            var first = holding.From.AddDays(30);
            if (holding.Dealer.DealerGroupId != person.Customer.DealerGroupId || first >= end)
            {
                continue;
            }

            var source = holding.Vehicle.Vehicle;
            var kind = _noise.Next(100) switch
            {
                < 45 => VehicleDuplicateKind.VinTypo,
                < 75 => VehicleDuplicateKind.PlateWithoutVin,
                _ => VehicleDuplicateKind.SameVin,
            };
            if (source.CurrentPlate is null || source.Vin is null)
            {
                kind = VehicleDuplicateKind.VinTypo;
            }

            if (source.Vin is null)
            {
                continue;
            }

            var start = DateOnly.FromDayNumber(_noise.Next(first.DayNumber, end.DayNumber));
            var vin = kind switch
            {
                VehicleDuplicateKind.VinTypo => MistypedVin(source.Vin),
                VehicleDuplicateKind.PlateWithoutVin => null,
                _ => source.Vin,
            };
            var copy = new Vehicle
            {
                NetworkId = source.NetworkId,
                Vin = vin,
                VinWarning = vin is null ? null : Vin.Check(vin).Warning,
                BrandId = source.BrandId,
                Make = source.Make,
                Model = source.Model,
                Derivative = source.Derivative,
                BodyType = source.BodyType,
                FuelType = source.FuelType,
                Transmission = source.Transmission,
                Colour = source.Colour,
                ModelYear = source.ModelYear,
                CreatedAt = NoiseAt(start),
            };
            copy.UpdatedAt = copy.CreatedAt;
            if (kind != VehicleDuplicateKind.VinTypo)
            {
                copy.FirstRegistrationDate = source.FirstRegistrationDate;
                copy.Plates.Add(new PlateRegistration { Plate = source.CurrentPlate!, ValidFrom = start });
                copy.CurrentPlate = source.CurrentPlate;
            }

            var relationship = new Relationship
            {
                DealerId = holding.Dealer.Id,
                DealerGroupId = holding.Dealer.DealerGroupId,
                Customer = person.Customer,
                Vehicle = copy,
                Type = RelationshipType.Servicing,
                StartDate = start,
                CreatedAt = copy.CreatedAt,
                UpdatedAt = copy.CreatedAt,
            };
            if (holding.Until is { } until && until <= DemoDataGenerator.LastDay)
            {
                relationship.End(until, holding.Reason!.Value);
                relationship.UpdatedAt = NoiseAt(until);
            }

            _sink.Vehicles.Add(copy);
            _sink.Relationships.Add(relationship);
            _sink.VehicleDuplicates.Add(new PlantedVehicleDuplicate(copy, source, kind));
        }
    }

    /// <summary>One character of the serial part replaced by another digit: a keying slip one edit away.</summary>
    private string MistypedVin(string vin)
    {
        var chars = vin.ToCharArray();
        var at = _noise.Next(11, 17);
        chars[at] = (char)('0' + (chars[at] - '0' + _noise.Next(1, 10)) % 10);
        return new string(chars);
    }

    private DateTime NoiseAt(DateOnly day) =>
        new(day.Year, day.Month, day.Day, _noise.Next(8, 19), _noise.Next(60), _noise.Next(60), DateTimeKind.Utc);
}
