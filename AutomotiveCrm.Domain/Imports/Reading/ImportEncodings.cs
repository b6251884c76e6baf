using System.Text;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// The text encodings a DMS file may be declared in: UTF-8 and the single-byte code pages (windows-1252 above all).
/// Decoding is strict: bytes that are not valid in the declared encoding are not silently replaced but reported, with
/// the line they are on (see <see cref="InvalidByteTracker"/>).
/// </summary>
public static class ImportEncodings
{
    static ImportEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes the code pages (windows-1252 ...) known to <see cref="Encoding.GetEncoding(string)"/>.</summary>
    public static void EnsureRegistered()
    {
        // The static constructor does the work; this method gives callers a way to trigger it.
    }

    /// <summary>The encoding of a name, or null with the reason when it cannot be used for DMS files.</summary>
    public static Encoding? Resolve(string? name, out string? problem)
    {
        EnsureRegistered();
        problem = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            problem = "The encoding is empty: use utf-8 or windows-1252.";
            return null;
        }

        var trimmed = name.Trim();
        var canonical = trimmed.ToLowerInvariant() switch
        {
            "utf8" => "utf-8",
            "ansi" or "cp1252" or "win1252" or "windows1252" => "windows-1252",
            _ => trimmed,
        };
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(canonical);
        }
        catch (ArgumentException)
        {
            problem = $"The encoding \"{name}\" is unknown: use utf-8 or windows-1252.";
            return null;
        }

        if (encoding.CodePage != Encoding.UTF8.CodePage && !encoding.IsSingleByte)
        {
            problem = $"The encoding \"{name}\" is not supported: DMS files must be utf-8 or a single-byte code page such as windows-1252.";
            return null;
        }

        return encoding;
    }

    /// <summary>
    /// A copy of <paramref name="encoding"/> whose decoder does not throw on invalid bytes but writes U+FFFD and records
    /// them in <paramref name="tracker"/>: the reader then names the line holding the bad bytes.
    /// </summary>
    public static Encoding Strict(Encoding encoding, InvalidByteTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        EnsureRegistered();
        if (encoding.CodePage == Encoding.UTF8.CodePage)
        {
            var utf8 = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
            utf8.DecoderFallback = tracker;
            return utf8;
        }

        return Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, tracker);
    }

    public static bool IsUtf8(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage;

    /// <summary>The name used in messages: utf-8, windows-1252.</summary>
    public static string NameOf(Encoding encoding) => encoding.WebName;
}

/// <summary>
/// A decoder fallback that replaces each invalid byte sequence with U+FFFD and remembers that it did, with the first
/// bytes concerned; one instance per reader (it is not thread-safe).
/// </summary>
public sealed class InvalidByteTracker : DecoderFallback
{
    public const char Replacement = '\uFFFD';

    public override int MaxCharCount => 1;

    /// <summary>How many invalid sequences were replaced so far.</summary>
    public long Count { get; private set; }

    /// <summary>The bytes of the most recent invalid sequence, as hex (0xE4 0x20).</summary>
    public string? LastBytes { get; private set; }

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private void Record(byte[] bytes)
    {
        Count++;
        LastBytes = string.Join(' ', bytes.Take(4).Select(b => $"0x{b:X2}"));
    }

    private sealed class Buffer(InvalidByteTracker owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Record(bytesUnknown);
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining == 0)
            {
                return '\0';
            }

            _remaining--;
            return Replacement;
        }

        public override bool MovePrevious()
        {
            if (_remaining == 1)
            {
                return false;
            }

            _remaining = 1;
            return true;
        }

        public override void Reset() => _remaining = 0;
    }
}
