using System.Buffers;
using System.Text;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>How a record's last physical line ended.</summary>
public enum LineEnding
{
    /// <summary>The end of the file, with no line break.</summary>
    EndOfFile,
    Lf,
    CrLf,
    Cr,
}

/// <summary>What went wrong with a record as a whole (beyond its field values).</summary>
public enum RecordIssue
{
    None,
    /// <summary>The record is longer than the reader's limit; its fields are not available.</summary>
    TooLong,
    /// <summary>A quoted field was still open at the end of the file.</summary>
    UnterminatedQuote,
}

/// <summary>A byte order mark found at the start of the file.</summary>
public enum ByteOrderMark
{
    None,
    Utf8,
    Utf16LittleEndian,
    Utf16BigEndian,
}

/// <summary>
/// A streaming reader of delimited text (RFC 4180 style): any delimiter, an optional quote character, quoted
/// delimiters, doubled quotes and line breaks inside quoted fields, CRLF, LF or CR line ends. It reads the stream in
/// 64 KB blocks and holds one record at a time (at most <see cref="MaxRecordChars"/> characters; a longer record is
/// reported as <see cref="RecordIssue.TooLong"/> and skipped, never loaded), so memory stays bounded whatever the file
/// size. Each record knows the 1-based physical line it starts on. Blank lines are skipped.
/// </summary>
/// <remarks>
/// A quote opens a quoted field only at the start of a field; elsewhere it is an ordinary character (5" tyre).
/// Characters after a closing quote and before the next delimiter are kept as they are.
/// </remarks>
public sealed class DelimitedRecordReader : IDisposable
{
    /// <summary>The default record limit: 1 MiB characters.</summary>
    public const int DefaultMaxRecordChars = 1 << 20;

    private const int ByteBlock = 64 * 1024;

    private readonly Stream _stream;
    private readonly char _delimiter;
    private readonly char _quote;
    private readonly bool _hasQuote;
    private readonly Decoder _decoder;
    private readonly SearchValues<char> _outsideStops;
    private readonly SearchValues<char> _insideStops;
    private readonly bool _utf8;

    private byte[] _bytes;
    private char[] _chars;
    private int _charPos;
    private int _charLen;
    private bool _streamDone;
    private bool _flushed;
    private bool _started;

    private char[] _record;
    private int _recordLen;
    private char[] _fieldChars;
    private int[] _fieldStarts;
    private int[] _fieldLengths;
    private int _fieldCount;

    private long _line = 1;
    private long _currentStart = 1;
    private bool _inQuotes;
    private bool _justClosed;
    private bool _pendingCr;
    private char _lastChar;
    private bool _anyChar;
    private bool _tooLong;
    private long _quoteOpenLine;
    private int _currentLength;
    private int _doneLen;

    public DelimitedRecordReader(Stream stream, char delimiter, char? quote, Encoding encoding, int maxRecordChars = DefaultMaxRecordChars)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(encoding);
        _stream = stream;
        _delimiter = delimiter;
        _hasQuote = quote.HasValue;
        _quote = quote ?? '\0';
        MaxRecordChars = maxRecordChars;
        Encoding = encoding;
        _utf8 = ImportEncodings.IsUtf8(encoding);
        InvalidBytes = new InvalidByteTracker();
        _decoder = ImportEncodings.Strict(encoding, InvalidBytes).GetDecoder();
        _outsideStops = _hasQuote ? SearchValues.Create([_quote, '\r', '\n']) : SearchValues.Create(['\r', '\n']);
        _insideStops = SearchValues.Create([_quote, '\r', '\n']);
        _bytes = ArrayPool<byte>.Shared.Rent(ByteBlock);
        _chars = ArrayPool<char>.Shared.Rent(encoding.GetMaxCharCount(ByteBlock) + 4);
        _record = ArrayPool<char>.Shared.Rent(4096);
        _fieldChars = ArrayPool<char>.Shared.Rent(4096);
        _fieldStarts = ArrayPool<int>.Shared.Rent(64);
        _fieldLengths = ArrayPool<int>.Shared.Rent(64);
    }

    public Encoding Encoding { get; }

    public int MaxRecordChars { get; }

    /// <summary>The declared encoding's invalid byte sequences seen so far (each decoded as U+FFFD).</summary>
    public InvalidByteTracker InvalidBytes { get; }

    /// <summary>The byte order mark the file started with (skipped, whatever it was).</summary>
    public ByteOrderMark ByteOrderMark { get; private set; }

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The 1-based physical line the current record starts on.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The physical line after the current record (its last line + 1 when it ended with a line break).</summary>
    public long NextLineNumber => _line;

    /// <summary>How the current record's last line ended.</summary>
    public LineEnding Ending { get; private set; }

    public RecordIssue Issue { get; private set; }

    /// <summary>For <see cref="RecordIssue.UnterminatedQuote"/>: the line where the quote opened.</summary>
    public long QuoteOpenedOnLine { get; private set; }

    /// <summary>The current record's length in characters (also when it is too long to be kept).</summary>
    public int RecordLength { get; private set; }

    public int FieldCount => _fieldCount;

    /// <summary>The current record as written in the file (quotes included, no line break at the end).</summary>
    /// <remarks>For a record that is too long: its first <see cref="MaxRecordChars"/> characters at most.</remarks>
    public ReadOnlySpan<char> RawRecord => _record.AsSpan(0, _doneLen);

    /// <summary>The i-th field's value with quotes removed and doubled quotes undoubled (not trimmed).</summary>
    public ReadOnlySpan<char> Field(int index) => _fieldChars.AsSpan(_fieldStarts[index], _fieldLengths[index]);

    /// <summary>The current record's raw text, at most <paramref name="maxChars"/> characters.</summary>
    public string RawText(int maxChars)
    {
        var raw = RawRecord;
        return raw.Length <= maxChars ? raw.ToString() : raw[..maxChars].ToString();
    }

    /// <summary>Moves to the next non-blank record; false at the end of the file.</summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_started && TryParseRecord())
        {
            return new ValueTask<bool>(true);
        }

        return ReadSlowAsync(cancellationToken);
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            await StartAsync(cancellationToken);
        }

        while (true)
        {
            if (TryParseRecord())
            {
                return true;
            }

            if (_flushed)
            {
                return FinishAtEndOfFile();
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        var count = 0;
        while (count < 3)
        {
            var n = await ReadBlockAsync(_bytes.AsMemory(count, ByteBlock - count), cancellationToken);
            if (n == 0)
            {
                break;
            }

            count += n;
        }

        BytesRead = count;
        var skip = 0;
        if (count >= 3 && _bytes[0] == 0xEF && _bytes[1] == 0xBB && _bytes[2] == 0xBF)
        {
            ByteOrderMark = ByteOrderMark.Utf8;
            skip = 3;
        }
        else if (count >= 2 && _bytes[0] == 0xFF && _bytes[1] == 0xFE)
        {
            ByteOrderMark = ByteOrderMark.Utf16LittleEndian;
            skip = 2;
        }
        else if (count >= 2 && _bytes[0] == 0xFE && _bytes[1] == 0xFF)
        {
            ByteOrderMark = ByteOrderMark.Utf16BigEndian;
            skip = 2;
        }

        Decode(skip, count - skip, flush: count == 0);
        if (count == 0)
        {
            _streamDone = true;
            _flushed = true;
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_streamDone)
        {
            Decode(0, 0, flush: true);
            _flushed = true;
            return;
        }

        var n = await ReadBlockAsync(_bytes.AsMemory(0, ByteBlock), cancellationToken);
        BytesRead += n;
        if (n == 0)
        {
            _streamDone = true;
            Decode(0, 0, flush: true);
            _flushed = true;
            return;
        }

        Decode(0, n, flush: false);
    }

    /// <summary>
    /// Local files and memory are read synchronously: FileStream.ReadAsync on a file opened without
    /// FileOptions.Asynchronous queues every block to the thread pool, whose threads then spin for work and burn a
    /// good part of a core on a two-core machine. Other streams (uploads, pipes) are read asynchronously.
    /// </summary>
    private ValueTask<int> ReadBlockAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_stream is FileStream or MemoryStream or UnmanagedMemoryStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(_stream.Read(buffer.Span));
        }

        return _stream.ReadAsync(buffer, cancellationToken);
    }

    private void Decode(int offset, int count, bool flush)
    {
        _charPos = 0;
        _charLen = _decoder.GetChars(_bytes, offset, count, _chars, 0, flush);
    }

    /// <summary>Consumes decoded characters until a record ends (true) or they run out (false).</summary>
    private bool TryParseRecord()
    {
        var chars = _chars;
        var pos = _charPos;
        var len = _charLen;
        while (pos < len)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (chars[pos] == '\n')
                {
                    pos++;
                    if (EndRecord(LineEnding.CrLf))
                    {
                        _charPos = pos;
                        return true;
                    }
                }
                else if (EndRecord(LineEnding.Cr))
                {
                    _charPos = pos;
                    return true;
                }

                continue;
            }

            var rest = chars.AsSpan(pos, len - pos);
            if (_inQuotes)
            {
                var idx = rest.IndexOfAny(_insideStops);
                if (idx < 0)
                {
                    Append(rest);
                    pos = len;
                    break;
                }

                Append(rest[..idx]);
                var c = rest[idx];
                pos += idx + 1;
                var afterCr = _lastChar == '\r';
                AppendChar(c);
                if (c == _quote && _hasQuote)
                {
                    _inQuotes = false;
                    _justClosed = true;
                }
                else if (c == '\r' || !afterCr)
                {
                    // A line break inside a quoted field: part of the value, but a new physical line all the same
                    // (CR LF counts once).
                    _line++;
                }

                continue;
            }

            var stop = rest.IndexOfAny(_outsideStops);
            if (stop < 0)
            {
                if (rest.Length > 0)
                {
                    _justClosed = false;
                }

                Append(rest);
                pos = len;
                break;
            }

            if (stop > 0)
            {
                _justClosed = false;
                Append(rest[..stop]);
            }

            var ch = rest[stop];
            pos += stop + 1;
            if (ch == '\n')
            {
                if (EndRecord(LineEnding.Lf))
                {
                    _charPos = pos;
                    return true;
                }
            }
            else if (ch == '\r')
            {
                if (pos < len)
                {
                    var ending = LineEnding.Cr;
                    if (chars[pos] == '\n')
                    {
                        ending = LineEnding.CrLf;
                        pos++;
                    }

                    if (EndRecord(ending))
                    {
                        _charPos = pos;
                        return true;
                    }
                }
                else
                {
                    _pendingCr = true;
                }
            }
            else
            {
                // The quote character: it opens a quoted field at the start of a field, or re-opens one right after a
                // closing quote (a doubled quote inside a quoted field); anywhere else it is an ordinary character.
                if (_justClosed || !_anyChar || _lastChar == _delimiter)
                {
                    _inQuotes = true;
                    if (!_justClosed)
                    {
                        _quoteOpenLine = _line;
                    }
                }

                _justClosed = false;
                AppendChar(ch);
            }
        }

        _charPos = pos;
        return false;
    }

    private bool FinishAtEndOfFile()
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            return EndRecord(LineEnding.Cr) || FinishAtEndOfFile();
        }

        if (!_anyChar && !_inQuotes)
        {
            return false;
        }

        var unterminated = _inQuotes;
        _inQuotes = false;
        var kept = EndRecord(LineEnding.EndOfFile, force: true);
        if (unterminated)
        {
            Issue = RecordIssue.UnterminatedQuote;
            QuoteOpenedOnLine = _quoteOpenLine;
        }

        return kept;
    }

    /// <summary>Closes the current record; false when it was a blank line (skipped).</summary>
    private bool EndRecord(LineEnding ending, bool force = false)
    {
        var start = _currentStart;
        var length = _currentLength;
        var tooLong = _tooLong;
        _doneLen = _recordLen;
        if (ending != LineEnding.EndOfFile)
        {
            _line++;
        }

        _currentStart = _line;
        _currentLength = 0;
        _tooLong = false;
        _anyChar = false;
        _justClosed = false;
        _lastChar = '\0';
        _recordLen = 0;
        if (length == 0 && !force)
        {
            return false;
        }

        LineNumber = start;
        Ending = ending;
        RecordLength = length;
        Issue = tooLong ? RecordIssue.TooLong : RecordIssue.None;
        QuoteOpenedOnLine = 0;
        if (tooLong)
        {
            _fieldCount = 0;
        }
        else
        {
            SplitFields(_doneLen);
        }

        return true;
    }

    private void Append(ReadOnlySpan<char> span)
    {
        if (span.IsEmpty)
        {
            return;
        }

        _anyChar = true;
        _lastChar = span[^1];
        _currentLength += span.Length;
        if (_tooLong)
        {
            return;
        }

        if (_currentLength > MaxRecordChars)
        {
            _tooLong = true;
            return;
        }

        EnsureRecordCapacity(_recordLen + span.Length);
        span.CopyTo(_record.AsSpan(_recordLen));
        _recordLen += span.Length;
    }

    private void AppendChar(char c)
    {
        _anyChar = true;
        _lastChar = c;
        _currentLength++;
        if (_tooLong)
        {
            return;
        }

        if (_currentLength > MaxRecordChars)
        {
            _tooLong = true;
            return;
        }

        EnsureRecordCapacity(_recordLen + 1);
        _record[_recordLen++] = c;
    }

    private void EnsureRecordCapacity(int needed)
    {
        if (needed <= _record.Length)
        {
            return;
        }

        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(needed, _record.Length * 2));
        _record.AsSpan(0, _recordLen).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_record);
        _record = bigger;
    }

    private void SplitFields(int n)
    {
        if (_fieldChars.Length < n)
        {
            ArrayPool<char>.Shared.Return(_fieldChars);
            _fieldChars = ArrayPool<char>.Shared.Rent(n);
        }

        var rec = _record.AsSpan(0, n);
        var output = _fieldChars.AsSpan();
        var p = 0;
        var w = 0;
        _fieldCount = 0;
        while (true)
        {
            var start = w;
            if (_hasQuote && p < n && rec[p] == _quote)
            {
                p++;
                while (true)
                {
                    var idx = rec[p..].IndexOf(_quote);
                    if (idx < 0)
                    {
                        rec[p..].CopyTo(output[w..]);
                        w += n - p;
                        p = n;
                        break;
                    }

                    rec.Slice(p, idx).CopyTo(output[w..]);
                    w += idx;
                    p += idx + 1;
                    if (p < n && rec[p] == _quote)
                    {
                        output[w++] = _quote;
                        p++;
                        continue;
                    }

                    break;
                }

                if (p < n && rec[p] != _delimiter)
                {
                    var after = rec[p..].IndexOf(_delimiter);
                    var end = after < 0 ? n : p + after;
                    rec[p..end].CopyTo(output[w..]);
                    w += end - p;
                    p = end;
                }
            }
            else
            {
                var idx = rec[p..].IndexOf(_delimiter);
                var end = idx < 0 ? n : p + idx;
                rec[p..end].CopyTo(output[w..]);
                w += end - p;
                p = end;
            }

            AddField(start, w - start);
            if (p >= n)
            {
                break;
            }

            p++;
            if (p == n)
            {
                AddField(w, 0);
                break;
            }
        }
    }

    private void AddField(int start, int length)
    {
        if (_fieldCount == _fieldStarts.Length)
        {
            var starts = ArrayPool<int>.Shared.Rent(_fieldCount * 2);
            var lengths = ArrayPool<int>.Shared.Rent(_fieldCount * 2);
            _fieldStarts.AsSpan(0, _fieldCount).CopyTo(starts);
            _fieldLengths.AsSpan(0, _fieldCount).CopyTo(lengths);
            ArrayPool<int>.Shared.Return(_fieldStarts);
            ArrayPool<int>.Shared.Return(_fieldLengths);
            _fieldStarts = starts;
            _fieldLengths = lengths;
        }

        _fieldStarts[_fieldCount] = start;
        _fieldLengths[_fieldCount] = length;
        _fieldCount++;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<char>.Shared.Return(_record);
        ArrayPool<char>.Shared.Return(_fieldChars);
        ArrayPool<int>.Shared.Return(_fieldStarts);
        ArrayPool<int>.Shared.Return(_fieldLengths);
        _bytes = [];
        _chars = [];
        _record = [];
        _fieldChars = [];
        _fieldStarts = [];
        _fieldLengths = [];
    }
}
