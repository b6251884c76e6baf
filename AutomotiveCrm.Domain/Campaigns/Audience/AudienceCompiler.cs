using System.Linq.Expressions;
using System.Reflection;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>
/// Turns a validated audience into a <see cref="Customer"/> predicate, expression by expression, for EF Core to
/// translate into one statement. Values travel as members of small holder objects so EF Core sends them as
/// parameters (one cached query shape per tree shape, not one per value typed).
/// </summary>
internal sealed class AudienceCompiler(
    CrmDbContext db,
    AudienceTarget target,
    DateOnly today,
    IReadOnlyDictionary<long, AudienceDefinition> templates,
    IReadOnlyList<long> dealerBrands)
{
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    private readonly ParameterExpression _customer = Expression.Parameter(typeof(Customer), "c");

    public IQueryable<Customer> Compile(AudienceDefinition definition, CampaignChannelKind? channel)
    {
        var filter = Lambda(Group(definition.Root, depth: 0));
        // The user's scope is applied once, to the customers themselves; everything else the query touches hangs off
        // those customers (their relationships, vehicles, consents, contact points) or is matched to them (network
        // suppressions). Per-table tenant filters would repeat the scope join in every correlated subquery, which
        // made counts over a large group several times slower without hiding anything more. The "Live" filter
        // (tombstones) stays on.
        var query = db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).Where(InScope()).Where(Reach()).Where(filter);
        if (channel is { } kind)
        {
            query = query.Where(Contactable(kind)).Where(Lambda(Consent(AudienceQuery.ConsentChannelFor(kind), opted: true)));
        }

        if (target.OwnerLevel == CampaignOwnerLevel.NetworkWholesale)
        {
            // One retail record per person: the lowest id among the person's records that match.
            var representatives = query.GroupBy(c => c.WholesaleCustomerId).Select(g => g.Min(c => c.Id));
            query = db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).Where(c => representatives.Contains(c.Id));
            if (channel is { } wholesaleChannel)
            {
                query = query.Where(NoOptOutAcrossRecords(AudienceQuery.ConsentChannelFor(wholesaleChannel)));
            }
        }

        return query;
    }

    /// <summary>Customers contactable on the channel with current consent, in the context's scope, whatever the filter says.</summary>
    public IQueryable<Customer> Reachable(CampaignChannelKind channel)
    {
        var query = db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).Where(InScope())
            .Where(Contactable(channel)).Where(Lambda(Consent(AudienceQuery.ConsentChannelFor(channel), opted: true)));
        return target.OwnerLevel == CampaignOwnerLevel.NetworkWholesale
            ? query.Where(NoOptOutAcrossRecords(AudienceQuery.ConsentChannelFor(channel)))
            : query;
    }

    /// <summary>
    /// The context's scope, as the Customer tenant filter states it: personal data visible, the picked group (or any),
    /// the network. Wholesale audiences also need the wholesale right. Read from the context, so a user's context
    /// never reaches past the user's scope whatever the target says.
    /// </summary>
    private Expression<Func<Customer, bool>> InScope()
    {
        var scope = db.Scope;
        if (scope.IsSystem)
        {
            return c => true;
        }

        if (!scope.PersonalData || (target.OwnerLevel == CampaignOwnerLevel.NetworkWholesale && !scope.Wholesale))
        {
            return c => false;
        }

        var groupId = Box(scope.GroupId);
        var networkId = Box(scope.NetworkId);
        Expression<Func<Customer, bool>> inGroup = scope.GroupId is null ? c => true : c => c.DealerGroupId == groupId.Value;
        Expression<Func<Customer, bool>> inNetwork = scope.NetworkId is null ? c => true : c => c.DealerGroup!.NetworkId == networkId.Value;
        return Expression.Lambda<Func<Customer, bool>>(Expression.AndAlso(inGroup.Body, Replace(inNetwork, inGroup.Parameters[0])), inGroup.Parameters[0]);
    }

    private Expression<Func<Customer, bool>> Lambda(Expression body) => Expression.Lambda<Func<Customer, bool>>(body, _customer);

    private Expression<Func<Customer, bool>> Reach()
    {
        var networkId = Box(target.NetworkId);
        switch (target.OwnerLevel)
        {
            case CampaignOwnerLevel.Dealer:
                var dealer = Box(target.DealerId ?? throw new AudienceException("A dealer campaign needs its dealer."));
                var group = Box(target.DealerGroupId ?? throw new AudienceException("A dealer campaign needs its dealer group."));
                return c => c.DealerGroupId == group.Value
                    && (c.ResponsibleDealerId == dealer.Value || c.Relationships.Any(r => r.DealerId == dealer.Value && r.EndDate == null));
            case CampaignOwnerLevel.Group:
                var ownGroup = Box(target.DealerGroupId ?? throw new AudienceException("A group campaign needs its dealer group."));
                return c => c.DealerGroupId == ownGroup.Value;
            case CampaignOwnerLevel.NetworkRetail:
                return c => c.DealerGroup!.NetworkId == networkId.Value && c.ResponsibleDealerId != null;
            case CampaignOwnerLevel.NetworkWholesale:
                return c => c.DealerGroup!.NetworkId == networkId.Value;
            default:
                throw new AudienceException($"Unknown owner level {target.OwnerLevel}.");
        }
    }

    /// <summary>The customer has the channel's contact point and it is not suppressed.</summary>
    private Expression<Func<Customer, bool>> Contactable(CampaignChannelKind channel)
    {
        var networkId = Box(target.NetworkId);
        var wholesale = target.OwnerLevel == CampaignOwnerLevel.NetworkWholesale;
        var suppressions = db.Suppressions;
        switch (channel)
        {
            case CampaignChannelKind.Email:
                return c => c.Emails.Any(e => e.IsPrimary && !suppressions.Any(s => s.NetworkId == networkId.Value
                    && s.Channel == CampaignChannelKind.Email && s.Address == e.NormalisedAddress
                    && (wholesale || s.DealerGroupId == null || s.DealerGroupId == c.DealerGroupId)));
            case CampaignChannelKind.Sms:
                return c => c.Phones.Any(p => p.Kind == PhoneKind.Mobile && !suppressions.Any(s => s.NetworkId == networkId.Value
                    && s.Channel == CampaignChannelKind.Sms && s.Address == p.Number
                    && (wholesale || s.DealerGroupId == null || s.DealerGroupId == c.DealerGroupId)));
            case CampaignChannelKind.CallList:
                return c => c.Phones.Any(p => p.IsPrimary && !suppressions.Any(s => s.NetworkId == networkId.Value
                    && s.Channel == CampaignChannelKind.CallList && s.Address == p.Number
                    && (wholesale || s.DealerGroupId == null || s.DealerGroupId == c.DealerGroupId)));
            case CampaignChannelKind.Label:
                return c => c.Addresses.Any(a => a.IsPrimary);
            default:
                throw new AudienceException($"Unknown channel {channel}.");
        }
    }

    /// <summary>
    /// Current Marketing consent on a channel, as <see cref="ConsentState"/> computes it: per scope the latest record
    /// (ties by id) is the answer; reachable when one counting scope says yes and none says no.
    /// </summary>
    private Expression Consent(ConsentChannel channel, bool opted)
    {
        var ch = Box(channel);
        Expression<Func<Customer, ConsentRecord, bool>> counts = target.OwnerLevel switch
        {
            CampaignOwnerLevel.Dealer => DealerScope(),
            CampaignOwnerLevel.NetworkRetail => (c, r) => (r.DealerId != null && r.DealerId == c.ResponsibleDealerId)
                || (r.BrandId != null && c.ResponsibleDealer!.Brands.Any(b => b.BrandId == r.BrandId)),
            _ => (c, r) => true,
        };

        Expression<Func<Customer, ConsentRecord, bool>> latest = (c, r) => r.Channel == ch.Value && r.Purpose == ConsentPurpose.Marketing
            && !c.Consents.Any(later => later.Channel == r.Channel && later.Purpose == r.Purpose
                && later.BrandId == r.BrandId && later.DealerId == r.DealerId
                && (later.RecordedAt > r.RecordedAt || (later.RecordedAt == r.RecordedAt && later.Id > r.Id)));

        var r = Expression.Parameter(typeof(ConsentRecord), "r");
        Expression CurrentIs(ConsentStatus status) => AnyOf(
            Expression.Property(_customer, nameof(Customer.Consents)),
            Expression.Lambda(
                Expression.AndAlso(
                    Expression.AndAlso(Inline(latest, _customer, r), Inline(counts, _customer, r)),
                    Expression.Equal(Expression.Property(r, nameof(ConsentRecord.Status)), Expression.Constant(status))),
                r));

        var yes = Expression.AndAlso(CurrentIs(ConsentStatus.OptIn), Expression.Not(CurrentIs(ConsentStatus.OptOut)));
        return opted ? yes : Expression.Not(yes);
    }

    private Expression<Func<Customer, ConsentRecord, bool>> DealerScope()
    {
        var dealer = Box(target.DealerId ?? 0);
        var brands = Box(dealerBrands.ToList());
        return (c, r) => r.DealerId == dealer.Value || (r.BrandId != null && brands.Value.Contains(r.BrandId.Value));
    }

    /// <summary>Wholesale: no retail record of the person is currently opted out on the channel, in any scope.</summary>
    private Expression<Func<Customer, bool>> NoOptOutAcrossRecords(ConsentChannel channel)
    {
        var ch = Box(channel);
        var records = db.ConsentRecords;
        return c => !records.Any(r => r.Customer!.WholesaleCustomerId == c.WholesaleCustomerId
            && r.Channel == ch.Value && r.Purpose == ConsentPurpose.Marketing && r.Status == ConsentStatus.OptOut
            && !records.Any(later => later.CustomerId == r.CustomerId && later.Channel == r.Channel && later.Purpose == r.Purpose
                && later.BrandId == r.BrandId && later.DealerId == r.DealerId
                && (later.RecordedAt > r.RecordedAt || (later.RecordedAt == r.RecordedAt && later.Id > r.Id))));
    }

    private Expression Group(AudienceGroup group, int depth)
    {
        var parts = group.Items.Select(item => Node(item, depth)).ToList();
        var body = Combine(parts, group.Join);
        return group.Exclude ? Expression.Not(body) : body;
    }

    private Expression Node(AudienceNode node, int depth) => node switch
    {
        AudienceGroup group => Group(group, depth),
        AudienceCondition condition => CustomerCondition(condition),
        VehicleBlock block => Vehicle(block),
        TemplateReference reference => Template(reference, depth),
        _ => throw new AudienceException("Unknown kind of condition."),
    };

    private Expression Template(TemplateReference reference, int depth)
    {
        if (depth >= AudienceTemplates.MaxDepth || !templates.TryGetValue(reference.TemplateId, out var template))
        {
            throw new AudienceException($"Saved audience {reference.TemplateId} does not exist, is not shared with you, or nests too deep.");
        }

        var body = Group(template.Root, depth + 1);
        return reference.Exclude ? Expression.Not(body) : body;
    }

    private Expression CustomerCondition(AudienceCondition condition)
    {
        var field = AudienceFields.Find(condition.Field) ?? throw new AudienceException($"There is no field '{condition.Field}'.");
        if (field.Consent is { } channel)
        {
            return Consent(channel, opted: condition.Operator == AudienceOperator.IsTrue);
        }

        if (field.OnRelationship)
        {
            throw new AudienceException($"{field.Label} belongs in a \"has a vehicle where\" block.");
        }

        return Predicate(field, condition, Replace(field.Selector, _customer));
    }

    /// <summary>"Has a vehicle where ...": one relationship (so one vehicle) satisfies every condition of the block.</summary>
    private Expression Vehicle(VehicleBlock block)
    {
        var r = Expression.Parameter(typeof(Relationship), "r");
        var endDate = Expression.Property(r, nameof(Relationship.EndDate));
        var noEnd = Expression.Constant(null, typeof(DateOnly?));
        var parts = new List<Expression>();
        var conditions = block.Conditions.Select(condition =>
        {
            var field = AudienceFields.Find(condition.Field);
            return field is { OnRelationship: true }
                ? Predicate(field, condition, Replace(field.Selector, r))
                : throw new AudienceException($"'{condition.Field}' is not a vehicle or relationship field.");
        }).ToList();
        var body = block.Ownership switch
        {
            VehicleOwnership.Current => Expression.AndAlso(Expression.Equal(endDate, noEnd), Combine(conditions, block.Join)),
            VehicleOwnership.Ended => Expression.AndAlso(Expression.NotEqual(endDate, noEnd), Combine(conditions, block.Join)),
            _ => Combine(conditions, block.Join),
        };
        parts.Add(body);
        var any = AnyOf(Expression.Property(_customer, nameof(Customer.Relationships)), Expression.Lambda(parts[0], r));
        return block.Exclude ? Expression.Not(any) : any;
    }

    private Expression Predicate(AudienceField field, AudienceCondition condition, Expression value)
    {
        var op = condition.Operator;
        var values = condition.Values;
        switch (field.Kind)
        {
            case AudienceFieldKind.Text:
                return Text(value, op, values);
            case AudienceFieldKind.Number when field.AgeFromDate:
                return Age(value, op, values);
            case AudienceFieldKind.Number:
                return Number(value, op, values);
            case AudienceFieldKind.Date:
                return Date(value, op, values);
            case AudienceFieldKind.Choice:
                return Choice(field, value, op, values);
            case AudienceFieldKind.YesNo:
                return op == AudienceOperator.IsTrue ? value : Expression.Not(value);
            default:
                throw new AudienceException($"Unknown field kind {field.Kind}.");
        }
    }

    private static Expression Text(Expression value, AudienceOperator op, List<string> values)
    {
        var nullText = Expression.Constant(null, typeof(string));
        if (op is AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty)
        {
            var empty = Expression.OrElse(Expression.Equal(value, nullText), Expression.Equal(value, Expression.Constant("")));
            return op == AudienceOperator.IsEmpty ? empty : Expression.Not(empty);
        }

        // Case-insensitive on every provider: lower both sides (SQLite's LIKE and PostgreSQL's differ on case).
        var lowered = Expression.Call(value, ToLower);
        var term = Box(values[0].Trim().ToLowerInvariant()).Member();
        Expression matches = op switch
        {
            AudienceOperator.Is or AudienceOperator.IsNot => Expression.Equal(lowered, term),
            AudienceOperator.Contains => Expression.Call(lowered, StringContains, term),
            AudienceOperator.StartsWith => Expression.Call(lowered, StringStartsWith, term),
            _ => throw new AudienceException($"'{AudienceFields.Describe(op)}' does not apply to text."),
        };
        var present = Expression.NotEqual(value, nullText);
        return op == AudienceOperator.IsNot
            ? Expression.Not(Expression.AndAlso(present, matches))
            : Expression.AndAlso(present, matches);
    }

    private static Expression Number(Expression value, AudienceOperator op, List<string> values)
    {
        var number = value.Type == typeof(int?) ? value : Expression.Convert(value, typeof(int?));
        if (op is AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty)
        {
            var empty = Expression.Equal(number, Expression.Constant(null, typeof(int?)));
            return op == AudienceOperator.IsEmpty ? empty : Expression.Not(empty);
        }

        Expression Bound(int index) => Box<int?>(AudienceValues.WholeNumber(values[index])).Member();
        return op switch
        {
            AudienceOperator.Equals => Expression.Equal(number, Bound(0)),
            AudienceOperator.AtLeast => Expression.GreaterThanOrEqual(number, Bound(0)),
            AudienceOperator.AtMost => Expression.LessThanOrEqual(number, Bound(0)),
            AudienceOperator.Between => Expression.AndAlso(Expression.GreaterThanOrEqual(number, Bound(0)), Expression.LessThanOrEqual(number, Bound(1))),
            _ => throw new AudienceException($"'{AudienceFields.Describe(op)}' does not apply to numbers."),
        };
    }

    /// <summary>
    /// An age in whole years, compiled into a range on the date itself so an index on the date can serve it: aged at
    /// least A means born on or before today minus A years; at most B means born after today minus B+1 years.
    /// </summary>
    private Expression Age(Expression date, AudienceOperator op, List<string> values)
    {
        var nullable = date.Type == typeof(DateOnly?) ? date : Expression.Convert(date, typeof(DateOnly?));
        if (op is AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty)
        {
            var empty = Expression.Equal(nullable, Expression.Constant(null, typeof(DateOnly?)));
            return op == AudienceOperator.IsEmpty ? empty : Expression.Not(empty);
        }

        Expression AtLeast(int years) => Expression.LessThanOrEqual(nullable, Box<DateOnly?>(today.AddYears(-years)).Member());
        Expression AtMost(int years) => Expression.GreaterThan(nullable, Box<DateOnly?>(today.AddYears(-(years + 1))).Member());
        var first = AudienceValues.WholeNumber(values[0]) ?? 0;
        return op switch
        {
            AudienceOperator.Equals => Expression.AndAlso(AtLeast(first), AtMost(first)),
            AudienceOperator.AtLeast => AtLeast(first),
            AudienceOperator.AtMost => AtMost(first),
            AudienceOperator.Between => Expression.AndAlso(AtLeast(first), AtMost(AudienceValues.WholeNumber(values[1]) ?? 0)),
            _ => throw new AudienceException($"'{AudienceFields.Describe(op)}' does not apply to an age."),
        };
    }

    /// <summary>Dates and instants alike as half-open day ranges [from, to): instants compare at UTC midnight.</summary>
    private Expression Date(Expression value, AudienceOperator op, List<string> values)
    {
        var isInstant = value.Type == typeof(DateTime) || value.Type == typeof(DateTime?);
        var type = isInstant ? typeof(DateTime?) : typeof(DateOnly?);
        var nullable = value.Type == type ? value : Expression.Convert(value, type);
        if (op is AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty)
        {
            var empty = Expression.Equal(nullable, Expression.Constant(null, type));
            return op == AudienceOperator.IsEmpty ? empty : Expression.Not(empty);
        }

        Expression Day(DateOnly day) => isInstant
            ? Box<DateTime?>(DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc)).Member()
            : Box<DateOnly?>(day).Member();
        Expression From(DateOnly day) => Expression.GreaterThanOrEqual(nullable, Day(day));
        Expression Before(DateOnly day) => Expression.LessThan(nullable, Day(day));
        DateOnly Value(int index) => AudienceValues.Date(values[index]) ?? today;
        int Months() => AudienceValues.WholeNumber(values[0]) ?? 0;
        return op switch
        {
            AudienceOperator.Equals => Expression.AndAlso(From(Value(0)), Before(Value(0).AddDays(1))),
            AudienceOperator.AtLeast => From(Value(0)),
            AudienceOperator.AtMost => Before(Value(0).AddDays(1)),
            AudienceOperator.Between => Expression.AndAlso(From(Value(0)), Before(Value(1).AddDays(1))),
            AudienceOperator.InLastMonths => Expression.AndAlso(From(today.AddMonths(-Months())), Before(today.AddDays(1))),
            AudienceOperator.MoreThanMonthsAgo => Before(today.AddMonths(-Months())),
            _ => throw new AudienceException($"'{AudienceFields.Describe(op)}' does not apply to dates."),
        };
    }

    private static Expression Choice(AudienceField field, Expression value, AudienceOperator op, List<string> values)
    {
        var isNullable = !value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null;
        if (op is AudienceOperator.IsEmpty or AudienceOperator.IsNotEmpty)
        {
            Expression empty = isNullable ? Expression.Equal(value, Expression.Constant(null, value.Type)) : Expression.Constant(false);
            return op == AudienceOperator.IsEmpty ? empty : Expression.Not(empty);
        }

        var parsed = values.Select(v => AudienceValues.Choice(field, v) ?? throw new AudienceException($"'{v}' is not one of the choices of {field.Label}."));
        var contains = (Expression)ContainsMethod.MakeGenericMethod(value.Type).Invoke(null, [parsed.ToList(), value])!;
        return op switch
        {
            AudienceOperator.AnyOf => contains,
            AudienceOperator.NoneOf => Expression.Not(contains),
            _ => throw new AudienceException($"'{AudienceFields.Describe(op)}' does not apply to choices."),
        };
    }

    private static readonly MethodInfo ContainsMethod = typeof(AudienceCompiler).GetMethod(nameof(ContainsOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static MethodCallExpression ContainsOf<T>(List<object> values, Expression value)
    {
        var typed = values.Select(v => (T)v).ToList();
        return Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(T)], Box(typed).Member(), value);
    }

    private static Expression Combine(List<Expression> parts, AudienceJoin join)
    {
        if (parts.Count == 0)
        {
            return Expression.Constant(true);
        }

        return parts.Aggregate((a, b) => join == AudienceJoin.All ? Expression.AndAlso(a, b) : Expression.OrElse(a, b));
    }

    private static MethodCallExpression AnyOf(Expression collection, LambdaExpression predicate)
    {
        var element = predicate.Parameters[0].Type;
        return Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [element], collection, predicate);
    }

    /// <summary>The body of a one-parameter lambda with its parameter replaced.</summary>
    private static Expression Replace(LambdaExpression lambda, Expression parameter) =>
        new Rebinder(lambda.Parameters[0], parameter).Visit(lambda.Body);

    /// <summary>The body of a two-parameter lambda with both parameters replaced.</summary>
    private static Expression Inline(LambdaExpression lambda, Expression first, Expression second) =>
        new Rebinder(lambda.Parameters[1], second).Visit(new Rebinder(lambda.Parameters[0], first).Visit(lambda.Body));

    private static ValueBox<T> Box<T>(T value) => new(value);

    private sealed class Rebinder(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>Holds a value so an expression reads it as a member: EF Core turns such reads into query parameters.</summary>
internal sealed class ValueBox<T>(T value)
{
    public T Value { get; } = value;

    public Expression Member() => Expression.Property(Expression.Constant(this), nameof(Value));
}
