using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The SQLite table of an entity type as EF Core maps it: table and column names from the model, and a compiled
/// encoder that reads each property and applies its value converter the way EF Core does when it saves (enums
/// as their names, instants in UTC, JSON columns through their converters; converters never see nulls), so that
/// bulk-written rows are the rows EF Core would have written.
/// </summary>
/// <remarks>
/// Ids must be assigned by the caller: the key is written like any other column. The provider types the model
/// uses today are supported (integers, booleans, strings, doubles, DateTime, DateOnly, enums stored as integers);
/// any other is refused when the table is built, so that a model change cannot silently write different bytes.
/// Nothing here runs EF Core's save rules or interceptors: callers are responsible for rows that obey them.
/// </remarks>
internal sealed class SqliteTable<T>
    where T : class
{
    private readonly Action<T, SqliteRows> _encode;

    public SqliteTable(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        Name = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(Name, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => p.GetComputedColumnSql(table) is null).ToList();
        Columns = properties.Select(p => p.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column.")).ToList();
        _encode = CompileEncoder(properties);
    }

    public string Name { get; }
    public IReadOnlyList<string> Columns { get; }

    public SqliteRows CreateBuffer() => new(Columns.Count);

    public void Encode(ReadOnlySpan<T> rows, SqliteRows into)
    {
        foreach (var row in rows)
        {
            _encode(row, into);
            into.EndRow();
        }
    }

    /// <summary>Compiles entity => encode every column in order, with the property's value converter inlined.</summary>
    private static Action<T, SqliteRows> CompileEncoder(List<IProperty> properties)
    {
        var entity = Expression.Parameter(typeof(T), "entity");
        var rows = Expression.Parameter(typeof(SqliteRows), "rows");
        var body = new List<Expression>();
        foreach (var property in properties)
        {
            var member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo
                ?? throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a shadow property: the bulk writer reads CLR members only.");
            var value = Expression.MakeMemberAccess(entity, member);
            var underlying = Nullable.GetUnderlyingType(value.Type);
            var local = Expression.Variable(value.Type, property.Name);
            Expression nonNull = underlying is not null ? Expression.Property(local, "Value") : local;
            var converter = property.GetTypeMapping().Converter;
            if (converter is not null)
            {
                var convert = converter.ConvertToProviderExpression;
                var input = nonNull.Type == convert.Parameters[0].Type ? nonNull : Expression.Convert(nonNull, convert.Parameters[0].Type);
                nonNull = ReplacingExpressionVisitor.Replace(convert.Parameters[0], input, convert.Body);
            }
            else if (nonNull.Type.IsEnum)
            {
                nonNull = Expression.Convert(nonNull, typeof(long));
            }

            var write = WriteCall(rows, nonNull, $"{typeof(T).Name}.{property.Name}");
            var nullable = !value.Type.IsValueType || underlying is not null;
            body.Add(Expression.Block(
                [local],
                Expression.Assign(local, value),
                nullable
                    ? Expression.IfThenElse(Expression.Equal(local, Expression.Constant(null, value.Type)),
                        Expression.Call(rows, nameof(SqliteRows.Null), null), write)
                    : write));
        }

        return Expression.Lambda<Action<T, SqliteRows>>(Expression.Block(body), entity, rows).Compile();
    }

    private static MethodCallExpression WriteCall(ParameterExpression rows, Expression value, string name)
    {
        var type = value.Type;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Expression.Call(rows, nameof(SqliteRows.Integer), null, type == typeof(long) ? value : Expression.Convert(value, typeof(long)));
        }

        var method = type switch
        {
            _ when type == typeof(bool) => nameof(SqliteRows.Boolean),
            _ when type == typeof(double) => nameof(SqliteRows.Real),
            _ when type == typeof(string) => nameof(SqliteRows.String),
            _ when type == typeof(DateTime) => nameof(SqliteRows.DateTime),
            _ when type == typeof(DateOnly) => nameof(SqliteRows.DateOnly),
            _ => throw new NotSupportedException($"{name}: the bulk writer does not write {type.Name} values; write this table through EF Core."),
        };
        return Expression.Call(rows, method, null, value);
    }
}
