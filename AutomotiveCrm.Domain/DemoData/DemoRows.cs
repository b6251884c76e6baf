using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>The next free id of every table the demo writes (MAX(Id) + 1 when the load starts).</summary>
internal sealed class DemoIds
{
    public long Wholesale { get; set; } = 1;
    public long Customer { get; set; } = 1;
    public long Address { get; set; } = 1;
    public long Email { get; set; } = 1;
    public long Phone { get; set; } = 1;
    public long Vehicle { get; set; } = 1;
    public long Plate { get; set; } = 1;
    public long Mileage { get; set; } = 1;
    public long Relationship { get; set; } = 1;
    public long Consent { get; set; } = 1;
}

/// <summary>
/// A batch flattened into one array per table, with ids and foreign keys assigned and wholesale records composed:
/// what the bulk writer inserts. Ids are handed out in the order rows are inserted, and that order follows the
/// most random index of each table (names, postcodes, e-mail addresses, phone numbers, VINs, plates): consecutive
/// inserts then land next to each other in that index instead of all over it, which is most of the cost of
/// loading SQLite. The order is a pure function of the batch, so ids are as deterministic as the data.
/// </summary>
internal sealed class DemoRows
{
    private DemoRows()
    {
    }

    public required WholesaleCustomer[] Wholesale { get; init; }
    public required Customer[] Customers { get; init; }
    public required CustomerAddress[] Addresses { get; init; }
    public required CustomerEmail[] Emails { get; init; }
    public required CustomerPhone[] Phones { get; init; }
    public required Vehicle[] Vehicles { get; init; }
    public required PlateRegistration[] Plates { get; init; }
    public required MileageReading[] Mileage { get; init; }
    public required Relationship[] Relationships { get; init; }
    public required ConsentRecord[] Consents { get; init; }
    public required DemoBatch Batch { get; init; }

    public static DemoRows Allocate(DemoBatch batch, DemoIds next)
    {
        var customers = SortBy(batch.Customers, static (a, b) =>
        {
            var c = a.DealerGroupId.CompareTo(b.DealerGroupId);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.LastName, b.LastName);
            }

            return c != 0 ? c : string.CompareOrdinal(a.FirstName, b.FirstName);
        });

        // Wholesale records follow the network-wide name index; customers then the group-and-name index.
        var byName = SortBy(customers, static (a, b) =>
        {
            var c = string.CompareOrdinal(a.LastName, b.LastName);
            return c != 0 ? c : string.CompareOrdinal(a.FirstName, b.FirstName);
        });
        var wholesale = new WholesaleCustomer[byName.Length];
        for (var i = 0; i < byName.Length; i++)
        {
            var w = byName[i].WholesaleCustomer!;
            w.Id = next.Wholesale++;
            wholesale[i] = w;
        }

        var addresses = new List<CustomerAddress>(customers.Length);
        var emails = new List<CustomerEmail>(customers.Length + customers.Length / 4);
        var phones = new List<CustomerPhone>(customers.Length + customers.Length / 4);
        var consents = new List<ConsentRecord>(customers.Length);
        var one = new Customer[1];
        foreach (var c in customers)
        {
            c.Id = next.Customer++;
            c.WholesaleCustomerId = c.WholesaleCustomer!.Id;
            foreach (var a in c.Addresses)
            {
                a.CustomerId = c.Id;
                addresses.Add(a);
            }

            foreach (var e in c.Emails)
            {
                e.CustomerId = c.Id;
                emails.Add(e);
            }

            foreach (var p in c.Phones)
            {
                p.CustomerId = c.Id;
                phones.Add(p);
            }

            foreach (var r in c.Consents)
            {
                r.CustomerId = c.Id;
                r.Id = next.Consent++;
                consents.Add(r);
            }

            // One retail record per wholesale record until dedup links people: the record is the source of every field.
            one[0] = c;
            WholesaleComposer.Compose(c.WholesaleCustomer, one);
        }

        var sortedAddresses = SortBy(addresses, static (a, b) => string.CompareOrdinal(a.Postcode, b.Postcode));
        foreach (var a in sortedAddresses)
        {
            a.Id = next.Address++;
        }

        var sortedEmails = SortBy(emails, static (a, b) => string.CompareOrdinal(a.NormalisedAddress, b.NormalisedAddress));
        foreach (var e in sortedEmails)
        {
            e.Id = next.Email++;
        }

        var sortedPhones = SortBy(phones, static (a, b) => string.CompareOrdinal(a.Number, b.Number));
        foreach (var p in sortedPhones)
        {
            p.Id = next.Phone++;
        }

        var vehicles = SortBy(batch.Vehicles, static (a, b) => string.CompareOrdinal(a.Vin, b.Vin));
        var plates = new List<PlateRegistration>(vehicles.Length + vehicles.Length / 4);
        var mileage = new List<MileageReading>(vehicles.Length * 2);
        foreach (var v in vehicles)
        {
            v.Id = next.Vehicle++;
            foreach (var p in v.Plates)
            {
                p.VehicleId = v.Id;
                plates.Add(p);
            }

            foreach (var m in v.MileageReadings)
            {
                m.VehicleId = v.Id;
                m.Id = next.Mileage++;
                mileage.Add(m);
            }
        }

        var sortedPlates = SortBy(plates, static (a, b) => string.CompareOrdinal(a.Plate, b.Plate));
        foreach (var p in sortedPlates)
        {
            p.Id = next.Plate++;
        }

        foreach (var r in batch.Relationships)
        {
            r.CustomerId = r.Customer!.Id;
            r.VehicleId = r.Vehicle!.Id;
        }

        var relationships = SortBy(batch.Relationships, static (a, b) => a.CustomerId.CompareTo(b.CustomerId));
        foreach (var r in relationships)
        {
            r.Id = next.Relationship++;
        }

        return new DemoRows
        {
            Batch = batch,
            Wholesale = wholesale,
            Customers = customers,
            Addresses = sortedAddresses,
            Emails = sortedEmails,
            Phones = sortedPhones,
            Vehicles = vehicles,
            Plates = sortedPlates,
            Mileage = [.. mileage],
            Relationships = relationships,
            Consents = [.. consents],
        };
    }

    /// <summary>A stable sort: equal keys keep the generation order, so the result never depends on the sort algorithm.</summary>
    private static T[] SortBy<T>(IReadOnlyList<T> items, Comparison<T> compare)
    {
        var order = new int[items.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            var c = compare(items[x], items[y]);
            return c != 0 ? c : x.CompareTo(y);
        });
        var sorted = new T[order.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = items[order[i]];
        }

        return sorted;
    }
}
