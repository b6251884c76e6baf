using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>How one encoded value is bound.</summary>
internal enum SqliteValueKind : byte
{
    Null,
    Integer,
    Real,
    Text,
}

/// <summary>
/// Rows of one table encoded as SQLite will store them: integers, doubles, and text as UTF-8 bytes in one arena.
/// Encoding happens on the generating thread; the writing thread only hands the values to SQLite. The buffer is
/// reused from batch to batch, so a steady load allocates nothing here.
/// </summary>
internal sealed class SqliteRows
{
    private SqliteValueKind[] _kinds = new SqliteValueKind[4096];
    private long[] _values = new long[4096];
    private byte[] _text = new byte[64 * 1024];

    public SqliteRows(int columns) => Columns = columns;

    public int Columns { get; }
    public int Count { get; private set; }
    public int ValueCount { get; private set; }
    public int TextLength { get; private set; }

    internal ReadOnlySpan<SqliteValueKind> Kinds => _kinds.AsSpan(0, ValueCount);
    internal ReadOnlySpan<long> Values => _values.AsSpan(0, ValueCount);
    internal ReadOnlySpan<byte> Text => _text.AsSpan(0, TextLength);

    public void Clear()
    {
        Count = 0;
        ValueCount = 0;
        TextLength = 0;
    }

    public void EndRow() => Count++;

    public void Null() => Add(SqliteValueKind.Null, 0);

    public void Integer(long value) => Add(SqliteValueKind.Integer, value);

    public void Boolean(bool value) => Add(SqliteValueKind.Integer, value ? 1 : 0);

    public void Real(double value) => Add(SqliteValueKind.Real, BitConverter.DoubleToInt64Bits(value));

    public void String(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var destination = Reserve(Encoding.UTF8.GetMaxByteCount(value.Length));
        AddText(Encoding.UTF8.GetBytes(value, destination));
    }

    /// <summary>Microsoft.Data.Sqlite's text form of a DateTime: "yyyy-MM-dd HH:mm:ss.FFFFFFF" (no fraction when it is zero).</summary>
    public void DateTime(DateTime value)
    {
        var destination = Reserve(27);
        WriteDate(destination, value.Year, value.Month, value.Day);
        destination[10] = (byte)' ';
        Write2(destination[11..], value.Hour);
        destination[13] = (byte)':';
        Write2(destination[14..], value.Minute);
        destination[16] = (byte)':';
        Write2(destination[17..], value.Second);
        var length = 19;
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            destination[19] = (byte)'.';
            for (var i = 26; i >= 20; i--)
            {
                destination[i] = (byte)('0' + fraction % 10);
                fraction /= 10;
            }

            length = 27;
            while (destination[length - 1] == (byte)'0')
            {
                length--;
            }
        }

        AddText(length);
    }

    /// <summary>Microsoft.Data.Sqlite's text form of a DateOnly: "yyyy-MM-dd".</summary>
    public void DateOnly(DateOnly value)
    {
        WriteDate(Reserve(10), value.Year, value.Month, value.Day);
        AddText(10);
    }

    private static void WriteDate(Span<byte> destination, int year, int month, int day)
    {
        Utf8Formatter.TryFormat(year, destination, out _, new StandardFormat('D', 4));
        destination[4] = (byte)'-';
        Write2(destination[5..], month);
        destination[7] = (byte)'-';
        Write2(destination[8..], day);
    }

    private static void Write2(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + value / 10);
        destination[1] = (byte)('0' + value % 10);
    }

    private Span<byte> Reserve(int bytes)
    {
        if (TextLength + bytes > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, TextLength + bytes));
        }

        return _text.AsSpan(TextLength, bytes);
    }

    /// <summary>Text values are an (offset, length) pair into the arena, packed into the value slot.</summary>
    private void AddText(int length)
    {
        Add(SqliteValueKind.Text, ((long)TextLength << 32) | (uint)length);
        TextLength += length;
    }

    private void Add(SqliteValueKind kind, long value)
    {
        if (ValueCount == _kinds.Length)
        {
            Array.Resize(ref _kinds, _kinds.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }

        _kinds[ValueCount] = kind;
        _values[ValueCount] = value;
        ValueCount++;
    }
}
