using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using SQLitePCL;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// Inserts entities of one type into SQLite with prepared multi-row INSERT statements, taking the table, the
/// columns and the value conversions from the EF Core model so that the rows are the ones EF Core would write
/// (enums as their names, instants in UTC as "yyyy-MM-dd HH:mm:ss.FFFFFFF", dates as "yyyy-MM-dd", JSON columns
/// through their converters). Values are bound straight to the statement through the connection's native handle:
/// no parameter objects, no boxing, one compiled binder per table.
/// </summary>
/// <remarks>
/// Ids must be assigned by the caller: the key is written like any other column. The inserter supports the
/// provider types the model uses today (integers, booleans, strings, doubles, DateTime, DateOnly, enums stored as
/// integers) and refuses any other at construction, so that a model change cannot silently write different bytes.
/// Nothing here runs EF Core's save rules: callers are responsible for rows that obey them.
/// </remarks>
internal sealed class SqliteBulkInserter<T> : IDisposable
    where T : class
{
    /// <summary>Stays within the 999 variables older SQLite builds allow, and is where the per-statement cost stops mattering.</summary>
    private const int MaxVariables = 999;
    private const int MaxRowsPerStatement = 64;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _many;
    private readonly sqlite3_stmt _one;
    private readonly int _rowsPerStatement;
    private readonly Action<sqlite3_stmt, int, T> _bind;

    public SqliteBulkInserter(SqliteConnection connection, IModel model)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(model);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        TableName = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(TableName, entityType.GetSchema());
        var properties = entityType.GetProperties()
            .Where(p => p.GetComputedColumnSql(table) is null)
            .ToList();
        Columns = properties.Select(p => p.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column.")).ToList();
        _bind = CompileBinder(properties);
        _rowsPerStatement = Math.Max(1, Math.Min(MaxRowsPerStatement, MaxVariables / Columns.Count));
        _many = Prepare(_rowsPerStatement);
        _one = _rowsPerStatement == 1 ? _many : Prepare(1);
    }

    public string TableName { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Inserts the rows in order, inside whatever transaction the connection has open.</summary>
    public void Insert(ReadOnlySpan<T> rows)
    {
        var columns = Columns.Count;
        var i = 0;
        for (; i + _rowsPerStatement <= rows.Length; i += _rowsPerStatement)
        {
            for (var k = 0; k < _rowsPerStatement; k++)
            {
                _bind(_many, k * columns, rows[i + k]);
            }

            Step(_many);
        }

        for (; i < rows.Length; i++)
        {
            _bind(_one, 0, rows[i]);
            Step(_one);
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_one, _many))
        {
            _one.Dispose();
        }

        _many.Dispose();
    }

    private sqlite3_stmt Prepare(int rows)
    {
        var columns = string.Join(", ", Columns.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", Columns.Count)) + ")";
        var sql = $"INSERT INTO \"{TableName}\" ({columns}) VALUES {string.Join(", ", Enumerable.Repeat(row, rows))}";
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return statement;
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>
    /// Compiles (statement, offset, entity) => bind every column of the entity at parameters offset+1.., with the
    /// property's value converter inlined and nulls bound as NULL (converters never see nulls, as in EF Core).
    /// </summary>
    private static Action<sqlite3_stmt, int, T> CompileBinder(List<IProperty> properties)
    {
        var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
        var offset = Expression.Parameter(typeof(int), "offset");
        var entity = Expression.Parameter(typeof(T), "entity");
        var body = new List<Expression>();
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo
                ?? throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a shadow property: the bulk writer binds CLR members only.");
            var index = Expression.Add(offset, Expression.Constant(i + 1));
            var value = Expression.MakeMemberAccess(entity, member);
            var converter = property.GetTypeMapping().Converter;
            var modelType = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
            var nullable = !value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null;

            var local = Expression.Variable(value.Type, property.Name);
            Expression nonNull = Nullable.GetUnderlyingType(value.Type) is not null ? Expression.Property(local, "Value") : local;
            if (converter is not null)
            {
                var convert = converter.ConvertToProviderExpression;
                var input = nonNull.Type == convert.Parameters[0].Type ? nonNull : Expression.Convert(nonNull, convert.Parameters[0].Type);
                nonNull = ReplacingExpressionVisitor.Replace(convert.Parameters[0], input, convert.Body);
            }
            else if (modelType.IsEnum)
            {
                nonNull = Expression.Convert(nonNull, typeof(long));
            }

            var bind = BindCall(statement, index, nonNull, typeof(T).Name + "." + property.Name);
            body.Add(Expression.Block(
                [local],
                Expression.Assign(local, value),
                nullable
                    ? Expression.IfThenElse(
                        Expression.Equal(local, Expression.Constant(null, value.Type)),
                        Expression.Call(typeof(SqliteBind), nameof(SqliteBind.Null), null, statement, index),
                        bind)
                    : bind));
        }

        return Expression.Lambda<Action<sqlite3_stmt, int, T>>(Expression.Block(body), statement, offset, entity).Compile();
    }

    private static MethodCallExpression BindCall(ParameterExpression statement, Expression index, Expression value, string name)
    {
        var type = value.Type;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Expression.Call(typeof(SqliteBind), nameof(SqliteBind.Int64), null, statement, index,
                type == typeof(long) ? value : Expression.Convert(value, typeof(long)));
        }

        if (type == typeof(bool))
        {
            return Expression.Call(typeof(SqliteBind), nameof(SqliteBind.Boolean), null, statement, index, value);
        }

        if (type == typeof(string) || type == typeof(double) || type == typeof(DateTime) || type == typeof(DateOnly))
        {
            return Expression.Call(typeof(SqliteBind), type == typeof(string) ? nameof(SqliteBind.Text) : type.Name, null, statement, index, value);
        }

        throw new NotSupportedException($"{name}: the bulk writer does not bind {type.Name} values; write this table through EF Core.");
    }
}

/// <summary>Binds one value the way Microsoft.Data.Sqlite binds a parameter of that type.</summary>
internal static class SqliteBind
{
    public static void Null(sqlite3_stmt statement, int index) => Check(raw.sqlite3_bind_null(statement, index), index);

    public static void Int64(sqlite3_stmt statement, int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value), index);

    public static void Boolean(sqlite3_stmt statement, int index, bool value) => Int64(statement, index, value ? 1L : 0L);

    public static void Double(sqlite3_stmt statement, int index, double value) => Check(raw.sqlite3_bind_double(statement, index, value), index);

    public static void Text(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Null(statement, index);
            return;
        }

        Check(raw.sqlite3_bind_text16(statement, index, value.AsSpan()), index);
    }

    public static void DateTime(sqlite3_stmt statement, int index, DateTime value)
    {
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text16(statement, index, text[..written]), index);
    }

    public static void DateOnly(sqlite3_stmt statement, int index, DateOnly value)
    {
        Span<char> text = stackalloc char[16];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text16(statement, index, text[..written]), index);
    }

    private static void Check(int rc, int index)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"Binding parameter {index} failed (SQLite error {rc}).", rc);
        }
    }
}
