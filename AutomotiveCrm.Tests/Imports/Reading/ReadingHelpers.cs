using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Tests.Imports.Reading;

/// <summary>Formats, files and runs shared by the reading tests.</summary>
internal static class ReadingHelpers
{
    public static ImportFormat Roadstar(ImportFileType type) =>
        ImportFormat.FromProfile(DefaultImportProfiles.For(DefaultImportProfiles.Roadstar, type).ToProfile(1));

    public static ImportFormat WerkstattPlus(ImportFileType type) =>
        ImportFormat.FromProfile(DefaultImportProfiles.For(DefaultImportProfiles.WerkstattPlus, type).ToProfile(1));

    /// <summary>A small customers format: comma, quote, UTF-8, yyyy-MM-dd, header row.</summary>
    public static ImportFormat SimpleCustomers(char delimiter = ',', string encoding = "utf-8", string dateFormat = "yyyy-MM-dd") => new()
    {
        Delimiter = delimiter,
        Quote = '"',
        Encoding = ImportEncodings.Resolve(encoding, out _)!,
        DateFormat = dateFormat,
        Columns =
        [
            new("customer_id", "ID"),
            new("last_name", "LAST_NAME"),
            new("first_name", "FIRST_NAME"),
        ],
    };

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static MemoryStream Bytes(params byte[][] parts) => new(parts.SelectMany(p => p).ToArray());

    public static byte[] Windows1252(string text)
    {
        ImportEncodings.EnsureRegistered();
        return Encoding.GetEncoding(1252).GetBytes(text);
    }

    public static string Windows1252Decode(byte[] bytes)
    {
        ImportEncodings.EnsureRegistered();
        return Encoding.GetEncoding(1252).GetString(bytes);
    }

    public static Task<StructureCheckResult> CheckAsync(Stream content, ImportFormat format, ImportFileType type = ImportFileType.Customers) =>
        StructureCheck.RunAsync(content, format, DmsFileSpecs.For(type), null, CancellationToken.None);

    public static async Task<List<DmsRowResult>> ReadAllAsync(Stream content, ImportFormat format,
        ImportFileType type = ImportFileType.Customers, string country = "GB")
    {
        var rows = new List<DmsRowResult>();
        await foreach (var row in DmsFileReader.ReadAsync(content, format, DmsFileSpecs.For(type), country, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static string Problems(DmsRowResult row) => string.Join(" | ", row.Problems.Select(p => $"[{p.Column}] {p.Reason}"));
}

/// <summary>A forward-only stream that cannot seek or report its length, like an upload or a pipe.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A generated customers file of any size, produced as it is read (never held in memory): a header and rows
/// "C{n},Surname{n},Given{n}\r\n".
/// </summary>
internal sealed class GeneratedCustomersStream(long rows) : Stream
{
    private readonly byte[] _row = new byte[128];
    private byte[] _pending = Encoding.UTF8.GetBytes("ID,LAST_NAME,FIRST_NAME\r\n");
    private int _pendingLength = 25;
    private int _offset;
    private long _next = 1;

    public long BytesProduced { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _pendingLength)
            {
                if (_next > rows)
                {
                    break;
                }

                // Formatted into the same buffer every time: the generator itself allocates nothing per row.
                _pending = _row;
                _pendingLength = FormatRow(_row, _next);
                _offset = 0;
                _next++;
            }

            var n = Math.Min(buffer.Length - written, _pendingLength - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer[written..]);
            _offset += n;
            written += n;
        }

        BytesProduced += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static int FormatRow(Span<byte> row, long n)
    {
        var w = 0;
        row[w++] = (byte)'C';
        w += Number(row[w..], n);
        row[w++] = (byte)',';
        "Surname"u8.CopyTo(row[w..]);
        w += 7;
        w += Number(row[w..], n % 9973);
        row[w++] = (byte)',';
        "Given"u8.CopyTo(row[w..]);
        w += 5;
        w += Number(row[w..], n % 97);
        row[w++] = (byte)'\r';
        row[w++] = (byte)'\n';
        return w;
    }

    private static int Number(Span<byte> destination, long value)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
