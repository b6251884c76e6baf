using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// A prepared single-row INSERT on a connection, fed from <see cref="SqliteRows"/>. One row per statement is
/// deliberate: multi-row VALUES statements were measured slower on tables with a randomly ordered secondary index,
/// where index maintenance dwarfs the per-statement cost they save.
/// </summary>
/// <remarks>
/// Binding is the writer's hottest loop (a dozen calls per row). When SQLitePCLRaw runs on its bundled e_sqlite3
/// library, values are bound through <see cref="SqliteNative"/> on the raw statement pointer, which skips the
/// SafeHandle reference counting SQLitePCLRaw does on every call (measured at 6% of the writer's time); with any
/// other provider the SQLitePCLRaw calls are used.
/// </remarks>
internal sealed class SqliteInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly bool _native;
    private readonly int _columns;

    public SqliteInsert(SqliteConnection connection, string table, IReadOnlyList<string> columns, bool? nativeBinding = null)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        _columns = columns.Count;
        var names = string.Join(", ", columns.Select(Quote));
        var values = string.Join(", ", Enumerable.Repeat("?", columns.Count));
        var rc = raw.sqlite3_prepare_v2(_db, $"INSERT INTO {Quote(table)} ({names}) VALUES ({values})", out _statement);
        if (rc != raw.SQLITE_OK)
        {
            _statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _native = nativeBinding ?? SqliteNative.IsAvailable;
        if (_native)
        {
            // Held until Dispose: the raw pointer stays valid as long as the handle is referenced.
            var added = false;
            _statement.DangerousAddRef(ref added);
            _handle = _statement.DangerousGetHandle();
        }
    }

    /// <summary>Inserts the rows in order, inside whatever transaction the connection has open.</summary>
    public void Insert(SqliteRows rows)
    {
        if (rows.Columns != _columns)
        {
            throw new ArgumentException($"Rows of {rows.Columns} columns cannot go into an insert of {_columns}.", nameof(rows));
        }

        var kinds = rows.Kinds;
        var values = rows.Values;
        var text = rows.Text;
        var v = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 1; c <= _columns; c++, v++)
            {
                var rc = _native ? BindNative(c, kinds[v], values[v], text) : Bind(c, kinds[v], values[v], text);
                if (rc != raw.SQLITE_OK)
                {
                    SqliteException.ThrowExceptionForRC(rc, _db);
                }
            }

            var step = _native ? SqliteNative.Step(_handle) : raw.sqlite3_step(_statement);
            _ = _native ? SqliteNative.Reset(_handle) : raw.sqlite3_reset(_statement);
            if (step != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(step, _db);
            }
        }
    }

    public void Dispose()
    {
        if (_native)
        {
            _statement.DangerousRelease();
        }

        _statement.Dispose();
    }

    private int BindNative(int column, SqliteValueKind kind, long value, ReadOnlySpan<byte> text) => kind switch
    {
        SqliteValueKind.Integer => SqliteNative.BindInt64(_handle, column, value),
        SqliteValueKind.Text => SqliteNative.BindText(_handle, column, text.Slice((int)(value >> 32), (int)(uint)value)),
        SqliteValueKind.Real => SqliteNative.BindDouble(_handle, column, BitConverter.Int64BitsToDouble(value)),
        _ => SqliteNative.BindNull(_handle, column),
    };

    private int Bind(int column, SqliteValueKind kind, long value, ReadOnlySpan<byte> text) => kind switch
    {
        SqliteValueKind.Integer => raw.sqlite3_bind_int64(_statement, column, value),
        SqliteValueKind.Text => raw.sqlite3_bind_text(_statement, column, text.Slice((int)(value >> 32), (int)(uint)value)),
        SqliteValueKind.Real => raw.sqlite3_bind_double(_statement, column, BitConverter.Int64BitsToDouble(value)),
        _ => raw.sqlite3_bind_null(_statement, column),
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
