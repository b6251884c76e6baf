using System.Text;
using AutomotiveCrm.Domain.DemoData;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>
/// A statement prepared once on an open connection and executed many times inside whatever transaction the
/// connection has open: the staging writer's hot loop (several bindings per row, a million rows a file). Text is
/// bound as UTF-8 from a reused buffer; on the bundled e_sqlite3 library values are bound through
/// <see cref="SqliteNative"/>, skipping SQLitePCLRaw's per-call handle bookkeeping (as the demo loader does).
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly IntPtr handle;
    private readonly bool native;
    private byte[] scratch = new byte[4096];

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        native = SqliteNative.IsAvailable;
        if (native)
        {
            // Held until Dispose: the raw pointer stays valid as long as the handle is referenced.
            var added = false;
            statement.DangerousAddRef(ref added);
            handle = statement.DangerousGetHandle();
        }
    }

    public void Bind(int index, long value) =>
        Check(native ? SqliteNative.BindInt64(handle, index, value) : raw.sqlite3_bind_int64(statement, index, value));

    public void Bind(int index, long? value)
    {
        if (value is { } v)
        {
            Bind(index, v);
        }
        else
        {
            BindNull(index);
        }
    }

    public void BindNull(int index) => Check(native ? SqliteNative.BindNull(handle, index) : raw.sqlite3_bind_null(statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > scratch.Length)
        {
            scratch = new byte[Math.Max(max, scratch.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, scratch);
        Bind(index, scratch.AsSpan(0, length));
    }

    /// <summary>UTF-8 text; SQLite copies it before the call returns.</summary>
    public void Bind(int index, ReadOnlySpan<byte> utf8) =>
        Check(native ? SqliteNative.BindText(handle, index, utf8) : raw.sqlite3_bind_text(statement, index, utf8));

    /// <summary>Runs the statement to its end and resets it; returns the rows it changed.</summary>
    public int Execute()
    {
        var step = native ? SqliteNative.Step(handle) : raw.sqlite3_step(statement);
        _ = native ? SqliteNative.Reset(handle) : raw.sqlite3_reset(statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, db);
        }

        return raw.sqlite3_changes(db);
    }

    /// <summary>The first column of the first row as an integer, or null when there is no row.</summary>
    public long? QueryInt64()
    {
        try
        {
            var step = raw.sqlite3_step(statement);
            return step switch
            {
                raw.SQLITE_ROW => raw.sqlite3_column_int64(statement, 0),
                raw.SQLITE_DONE => null,
                _ => throw SqliteFailure(step),
            };
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Dispose()
    {
        if (native)
        {
            statement.DangerousRelease();
        }

        statement.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private SqliteException SqliteFailure(int rc) => new(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
}
