using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Customers file: retail customers of the dealer's group, one per DMS customer number, each new one with its own
/// wholesale record (as at the desk, until dedup links people).
/// </summary>
/// <remarks>
/// The bulk of a file is new or unchanged customers, so those paths are built for speed: one key look-up per chunk,
/// ids reserved per table per chunk, and inserts through prepared statements that bypass EF Core
/// (<see cref="BulkWriter"/>). What SaveChanges would have done for them is done here: timestamps (chunk.Now), the
/// wholesale record composed by <see cref="WholesaleComposer"/> from the one retail record it has, the dedup mark.
/// New rows write no audit entries; the customer's SourceFileId, SourceReference and key map name the file and
/// record they came from. Changed customers go through EF Core (<see cref="CrmDbContext.SaveChangesAsync(bool, CancellationToken)"/>):
/// they are rarer, and their change is audited field by field, the version moves and the wholesale record is
/// recomputed from every linked retail record by <see cref="WholesaleSync"/>, all in the caller's transaction.
/// </remarks>
internal sealed class CustomerMerger : IDmsMerger
{
    private static readonly FieldLayout Layout = FieldLayout.For(ImportFileType.Customers);
    private static readonly int BuyerTypeField = Layout.IndexOf("buyer_type");
    private static readonly int TitleField = Layout.IndexOf("title");
    private static readonly int FirstNameField = Layout.IndexOf("first_name");
    private static readonly int MiddleNameField = Layout.IndexOf("middle_name");
    private static readonly int LastNameField = Layout.IndexOf("last_name");
    private static readonly int CompanyNameField = Layout.IndexOf("company_name");
    private static readonly int DateOfBirthField = Layout.IndexOf("date_of_birth");
    private static readonly int Line1Field = Layout.IndexOf("address_line1");
    private static readonly int Line2Field = Layout.IndexOf("address_line2");
    private static readonly int CityField = Layout.IndexOf("city");
    private static readonly int RegionField = Layout.IndexOf("region");
    private static readonly int PostcodeField = Layout.IndexOf("postcode");
    private static readonly int CountryField = Layout.IndexOf("country");
    private static readonly int EmailField = Layout.IndexOf("email");
    private static readonly int MobileField = Layout.IndexOf("phone_mobile");
    private static readonly int HomeField = Layout.IndexOf("phone_home");
    private static readonly int WorkField = Layout.IndexOf("phone_work");
    private static readonly int PaymentMethodField = Layout.IndexOf("payment_method");
    private static readonly int InsuredAccidentsField = Layout.IndexOf("insured_accidents");

    public ImportFileType FileType => ImportFileType.Customers;

    public async Task<MergeResult> MergeAsync(CrmDbContext db, MergeChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(chunk);
        MergeSql.Transaction(db);
        chunk.Lap("customers.start");
        var tally = new MergeTally();
        var carried = await CarriedFields.LoadAsync(db, chunk.ImportFileId, Layout, cancellationToken);
        var today = DateOnly.FromDateTime(chunk.Now);

        var rows = new List<CustomerRow>(chunk.Rows.Count);
        var parser = new PayloadParser();
        foreach (var staged in chunk.Rows)
        {
            try
            {
                rows.Add(Read(new StagedRow(staged, Layout, parser.Parse(staged.Payload, Layout)), chunk.Target, today));
            }
            catch (RowRejectedException e)
            {
                tally.Reject(staged.LineNumber, e.Column, e.Message);
            }
        }

        chunk.Lap("customers.parse");
        var known = await DmsRecordStore.LoadAsync(db, chunk.Target.DealerId, ImportFileType.Customers,
            rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal), cancellationToken);
        var inserts = new List<(CustomerRow Row, KnownRecord? Record)>();
        var changes = new List<(CustomerRow Row, KnownRecord Record)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!seen.Add(row.Key))
            {
                // Staging's unique (file, key) index makes this impossible; refused rather than merged twice.
                tally.Reject(row.LineNumber, Layout.Spec.KeyField, $"customer {row.Key} appears twice in the chunk.");
            }
            else if (!known.TryGetValue(row.Key, out var record))
            {
                inserts.Add((row, null));
            }
            else if (MergeTally.SameHash(record.RowHash, row.Hash))
            {
                tally.Same(row.LineNumber, row.Key);
            }
            else
            {
                changes.Add((row, record));
            }
        }

        chunk.Lap("customers.lookup");
        var gone = await UpdateAsync(db, chunk, changes, carried, tally, cancellationToken);
        chunk.Lap("customers.update");
        inserts.AddRange(gone);
        await InsertAsync(db, chunk, inserts, carried, cancellationToken);
        for (var i = 0; i < inserts.Count; i++)
        {
            tally.Insert();
        }

        return tally.ToResult();
    }

    /// <summary>A row read and checked against the rules every customer obeys (those of the desk's form).</summary>
    private sealed class CustomerRow
    {
        public required StagedRow Staged { get; init; }
        public string Key => Staged.Key;
        public long LineNumber => Staged.LineNumber;
        public string Hash => Staged.Hash;
        public BuyerType BuyerType { get; init; }
        public string? Title { get; init; }
        public string? FirstName { get; init; }
        public string? MiddleName { get; init; }
        public string? LastName { get; init; }
        public string? CompanyName { get; init; }
        public DateOnly? DateOfBirth { get; init; }
        public required ImportedAddress Address { get; init; }
        public string? Email { get; init; }
        public string? Mobile { get; init; }
        public string? Home { get; init; }
        public string? Work { get; init; }
        public PaymentMethod? PaymentMethod { get; init; }
        public int? InsuredAccidents { get; init; }
    }

    private static CustomerRow Read(StagedRow row, MergeTarget target, DateOnly today)
    {
        var buyerType = row.Choice<BuyerType>(BuyerTypeField) ?? BuyerType.Person;
        var lastName = row.Text(LastNameField, 100);
        var companyName = row.Text(CompanyNameField, 200);
        if (buyerType == BuyerType.Company && companyName is null)
        {
            throw row.Reject(CompanyNameField, "a company customer needs the company name.");
        }

        if (lastName is null && companyName is null)
        {
            throw row.Reject(LastNameField, "a customer needs a last name (or, for a company, the company name).");
        }

        var born = row.Date(DateOfBirthField);
        if (born is { } b)
        {
            if (b > today)
            {
                throw row.Reject(DateOfBirthField, $"{b:yyyy-MM-dd} is in the future.");
            }

            if (b < today.AddYears(-120))
            {
                throw row.Reject(DateOfBirthField, $"{b:yyyy-MM-dd} is more than 120 years ago: check the year.");
            }

            if (b > today.AddYears(-16))
            {
                throw row.Reject(DateOfBirthField, $"{b:yyyy-MM-dd} makes the customer younger than 16: check the year.");
            }
        }

        var accidents = row.Int(InsuredAccidentsField);
        if (accidents is < 0 or > 99)
        {
            throw row.Reject(InsuredAccidentsField, "insured accidents must be between 0 and 99.");
        }

        var country = row.Text(CountryField)?.ToUpperInvariant() ?? target.CountryCode;
        if (country.Length != 2 || !char.IsAsciiLetterUpper(country[0]) || !char.IsAsciiLetterUpper(country[1]))
        {
            throw row.Reject(CountryField, $"'{country}' is not a two-letter country code.");
        }

        return new CustomerRow
        {
            Staged = row,
            BuyerType = buyerType,
            Title = row.Text(TitleField, 20),
            FirstName = row.Text(FirstNameField, 100),
            MiddleName = row.Text(MiddleNameField, 100),
            LastName = lastName,
            CompanyName = companyName,
            DateOfBirth = born,
            Address = new ImportedAddress(row.Text(Line1Field, 200), row.Text(Line2Field, 200), row.Text(CityField, 100),
                row.Text(RegionField, 100), row.Text(PostcodeField, 16)?.ToUpperInvariant(), country),
            Email = row.Text(EmailField, 254),
            Mobile = row.Text(MobileField, 20),
            Home = row.Text(HomeField, 20),
            Work = row.Text(WorkField, 20),
            PaymentMethod = row.Choice<PaymentMethod>(PaymentMethodField),
            InsuredAccidents = accidents,
        };
    }

    /// <summary>
    /// A new customer from a row: what <see cref="Apply"/> does to an empty record (every contact point fills its
    /// empty slot), without the look-ups for slots and duplicates an existing record needs. The hot path of a file.
    /// </summary>
    private static Customer NewCustomer(CustomerRow row, MergeChunk chunk, DateTime now)
    {
        var customer = new Customer
        {
            DealerGroupId = chunk.Target.DealerGroupId,
            ResponsibleDealerId = chunk.Target.DealerId,
            Source = CustomerSource.ImportFile,
            SourceReference = string.Concat("import:", chunk.ImportFileId.ToString(CultureInfo.InvariantCulture), ":", row.Key),
            SourceFileId = chunk.ImportFileId,
            DedupPendingSince = now,
            CreatedAt = now,
            UpdatedAt = now,
            BuyerType = row.BuyerType,
            Title = row.Title,
            FirstName = row.FirstName,
            MiddleName = row.MiddleName,
            LastName = row.LastName,
            CompanyName = row.CompanyName,
            DateOfBirth = row.DateOfBirth,
            PaymentMethod = row.PaymentMethod,
            InsuredAccidents = row.InsuredAccidents ?? 0,
        };
        if (row.Email is { } email)
        {
            customer.Emails.Add(new CustomerEmail { Address = email, NormalisedAddress = email.Trim().ToLowerInvariant(), IsPrimary = true });
        }

        AddPhone(customer, PhoneKind.Mobile, row.Mobile);
        AddPhone(customer, PhoneKind.Home, row.Home);
        AddPhone(customer, PhoneKind.Work, row.Work);
        var a = row.Address;
        if (a.Line1 is not null || a.Line2 is not null || a.City is not null || a.Region is not null || a.Postcode is not null)
        {
            customer.Addresses.Add(new CustomerAddress
            {
                Kind = row.BuyerType == BuyerType.Company ? AddressKind.Work : AddressKind.Home,
                IsPrimary = true,
                Line1 = a.Line1,
                Line2 = a.Line2,
                City = a.City,
                Region = a.Region,
                Postcode = a.Postcode,
                CountryCode = a.CountryCode,
            });
        }

        return customer;
    }

    private static void AddPhone(Customer customer, PhoneKind kind, string? number)
    {
        if (number is null)
        {
            return;
        }

        foreach (var phone in customer.Phones)
        {
            if (phone.Number == number)
            {
                return; // The same number for two kinds counts once, for the first.
            }
        }

        customer.Phones.Add(new CustomerPhone { Kind = kind, Number = number, IsPrimary = customer.Phones.Count == 0 });
    }

    /// <summary>Writes the row's fields and contact points onto a customer, new or loaded; fields the file does not carry stay.</summary>
    private static void Apply(Customer customer, CustomerRow row, bool[] carried, Action<object> remove)
    {
        if (carried[BuyerTypeField] && customer.BuyerType != row.BuyerType)
        {
            customer.BuyerType = row.BuyerType;
        }

        Set(carried[TitleField], row.Title, customer.Title, v => customer.Title = v);
        Set(carried[FirstNameField], row.FirstName, customer.FirstName, v => customer.FirstName = v);
        Set(carried[MiddleNameField], row.MiddleName, customer.MiddleName, v => customer.MiddleName = v);
        Set(carried[LastNameField], row.LastName, customer.LastName, v => customer.LastName = v);
        Set(carried[CompanyNameField], row.CompanyName, customer.CompanyName, v => customer.CompanyName = v);
        if (carried[DateOfBirthField] && customer.DateOfBirth != row.DateOfBirth)
        {
            customer.DateOfBirth = row.DateOfBirth;
        }

        if (carried[PaymentMethodField] && customer.PaymentMethod != row.PaymentMethod)
        {
            customer.PaymentMethod = row.PaymentMethod;
        }

        if (carried[InsuredAccidentsField] && customer.InsuredAccidents != (row.InsuredAccidents ?? 0))
        {
            customer.InsuredAccidents = row.InsuredAccidents ?? 0;
        }

        if (carried[EmailField])
        {
            ImportedContacts.SetEmail(customer, row.Email, remove);
        }

        ImportedContacts.SetPhones(customer,
            [(PhoneKind.Mobile, carried[MobileField], row.Mobile), (PhoneKind.Home, carried[HomeField], row.Home), (PhoneKind.Work, carried[WorkField], row.Work)],
            remove);
        ImportedContacts.SetAddress(customer, row.Address,
            [carried[Line1Field], carried[Line2Field], carried[CityField], carried[RegionField], carried[PostcodeField], carried[CountryField]],
            customer.BuyerType == BuyerType.Company ? AddressKind.Work : AddressKind.Home, remove);
    }

    private static void Set(bool carried, string? value, string? current, Action<string?> set)
    {
        if (carried && !string.Equals(value, current, StringComparison.Ordinal))
        {
            set(value);
        }
    }

    private static async Task InsertAsync(CrmDbContext db, MergeChunk chunk, List<(CustomerRow Row, KnownRecord? Record)> rows, bool[] carried,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var target = chunk.Target;
        var now = DateTime.SpecifyKind(chunk.Now, DateTimeKind.Utc);
        var customers = new Customer[rows.Count];
        var addresses = new List<CustomerAddress>(rows.Count);
        var emails = new List<CustomerEmail>(rows.Count);
        var phones = new List<CustomerPhone>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i].Row;
            var customer = NewCustomer(row, chunk, now);
            customers[i] = customer;
            addresses.AddRange(customer.Addresses);
            emails.AddRange(customer.Emails);
            phones.AddRange(customer.Phones);
        }

        // Ids in row order. Sorting each table's rows by its busiest index (as the demo loader does) was measured:
        // with chunks of a few thousand rows spread over indexes of many thousand pages it gains nothing.
        var customerIds = await MergeSql.ReserveIdsAsync(db, MergeSql.TableOf<Customer>(db), customers.Length, cancellationToken);
        var wholesaleIds = await MergeSql.ReserveIdsAsync(db, MergeSql.TableOf<WholesaleCustomer>(db), customers.Length, cancellationToken);
        var wholesale = new WholesaleCustomer[customers.Length];
        for (var i = 0; i < customers.Length; i++)
        {
            var customer = customers[i];
            customer.Id = customerIds[i];
            customer.WholesaleCustomerId = wholesaleIds[i];
            foreach (var a in customer.Addresses)
            {
                a.CustomerId = customer.Id;
            }

            foreach (var e in customer.Emails)
            {
                e.CustomerId = customer.Id;
            }

            foreach (var p in customer.Phones)
            {
                p.CustomerId = customer.Id;
            }

            var record = new WholesaleCustomer { Id = wholesaleIds[i], NetworkId = target.NetworkId, CreatedAt = now, UpdatedAt = now };
            NewWholesale.Compose(record, customer);
            wholesale[i] = record;
        }

        chunk.Lap("customers.build");
        await AssignIdsAsync(db, addresses, cancellationToken);
        await AssignIdsAsync(db, emails, cancellationToken);
        await AssignIdsAsync(db, phones, cancellationToken);

        var newRecords = new List<DmsRecord>(rows.Count);
        var recreated = new List<(long Id, long EntityId, string RowHash)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, existing) = rows[i];
            if (existing is null)
            {
                newRecords.Add(new DmsRecord
                {
                    DealerId = target.DealerId,
                    DealerGroupId = target.DealerGroupId,
                    RecordType = ImportFileType.Customers,
                    DmsRecordId = row.Key,
                    EntityId = customers[i].Id,
                    RowHash = row.Hash,
                    SourceFileId = chunk.ImportFileId,
                    UpdatedAt = now,
                });
            }
            else
            {
                recreated.Add((existing.Id, customers[i].Id, row.Hash));
            }
        }

        await using var writer = BulkWriter.Create(db);
        chunk.Lap("customers.ids");
        await writer.InsertAsync(wholesale, cancellationToken);
        chunk.Lap("customers.insert.wholesale");
        await writer.InsertAsync(customers, cancellationToken);
        chunk.Lap("customers.insert.customers");
        await writer.InsertAsync(addresses, cancellationToken);
        chunk.Lap("customers.insert.addresses");
        await writer.InsertAsync(emails, cancellationToken);
        chunk.Lap("customers.insert.emails");
        await writer.InsertAsync(phones, cancellationToken);
        chunk.Lap("customers.insert.phones");
        await DmsRecordStore.InsertAsync(db, writer, newRecords, cancellationToken);
        await DmsRecordStore.UpdateAsync(db, recreated, chunk.ImportFileId, now, cancellationToken);
        chunk.Lap("customers.insert.dmsrecords");
    }

    private static async Task AssignIdsAsync<T>(CrmDbContext db, List<T> rows, CancellationToken cancellationToken)
        where T : Common.Entity
    {
        var ids = await MergeSql.ReserveIdsAsync(db, MergeSql.TableOf<T>(db), rows.Count, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Id = ids[i];
        }
    }

    /// <summary>
    /// Changed customers, through EF Core so that the change is audited and the wholesale record recomputed. Returns
    /// the rows whose customer no longer exists (deleted since): they are inserted again and the key map follows.
    /// </summary>
    private static async Task<List<(CustomerRow Row, KnownRecord? Record)>> UpdateAsync(CrmDbContext db, MergeChunk chunk,
        List<(CustomerRow Row, KnownRecord Record)> changes, bool[] carried, MergeTally tally, CancellationToken cancellationToken)
    {
        var gone = new List<(CustomerRow Row, KnownRecord? Record)>();
        if (changes.Count == 0)
        {
            return gone;
        }

        var ids = changes.Select(c => c.Record.EntityId).Distinct().ToList();
        var groupId = chunk.Target.DealerGroupId;
        // By id only, the group checked in memory: with both in SQL, SQLite's planner (no statistics) would read the
        // whole group through its index for each chunk.
        var existing = (await db.Customers.IgnoreQueryFilters().AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.DealerGroupId })
            .ToListAsync(cancellationToken))
            .Where(c => c.DealerGroupId == groupId).Select(c => c.Id).ToHashSet();
        var present = changes.Where(c => existing.Contains(c.Record.EntityId)).ToList();
        gone.AddRange(changes.Where(c => !existing.Contains(c.Record.EntityId)).Select(c => (c.Row, (KnownRecord?)c.Record)));

        var (_, updated, rejects) = await new EfChunkScope(db).RunAsync(present, async (batch, rowRejects) =>
        {
            var batchIds = batch.Select(b => b.Record.EntityId).ToList();
            var loaded = await db.Customers.IgnoreQueryFilters()
                .Where(c => batchIds.Contains(c.Id))
                .Include(c => c.Emails)
                .Include(c => c.Phones)
                .Include(c => c.Addresses)
                .AsSplitQuery()
                .ToDictionaryAsync(c => c.Id, cancellationToken);
            var changed = new List<(long Id, long EntityId, string RowHash)>();
            foreach (var (row, record) in batch)
            {
                var customer = loaded[record.EntityId];
                var lastName = carried[LastNameField] ? row.LastName : customer.LastName;
                var companyName = carried[CompanyNameField] ? row.CompanyName : customer.CompanyName;
                var buyerType = carried[BuyerTypeField] ? row.BuyerType : customer.BuyerType;
                if ((lastName is null && companyName is null) || (buyerType == BuyerType.Company && companyName is null))
                {
                    rowRejects.Add((row, record), Layout.Spec.KeyField,
                        $"customer {row.Key}: the change would leave the customer without a last name or, for a company, the company name.");
                    continue;
                }

                Apply(customer, row, carried, removed => db.Remove(removed));
                customer.SourceFileId = chunk.ImportFileId;
                customer.DedupPendingSince ??= DateTime.SpecifyKind(chunk.Now, DateTimeKind.Utc);
                changed.Add((record.Id, record.EntityId, row.Hash));
            }

            await db.SaveChangesAsync(cancellationToken);
            await DmsRecordStore.UpdateAsync(db, changed, chunk.ImportFileId, chunk.Now, cancellationToken);
            return (0, changed.Count);
        }, item => item.Row.LineNumber, cancellationToken);

        foreach (var reject in rejects)
        {
            tally.Reject(reject.LineNumber, reject.Column, reject.Reason);
        }

        for (var i = 0; i < updated; i++)
        {
            tally.Update();
        }

        return gone;
    }
}
