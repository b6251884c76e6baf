using System.Runtime.InteropServices;
using SQLitePCL;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The few SQLite entry points the bulk writer calls per value, imported from e_sqlite3 (the library SQLitePCLRaw
/// bundles and has already loaded, so these calls reach the same SQLite instance and connection). Statements are
/// passed as raw pointers, which the caller keeps alive. Used only when <see cref="IsAvailable"/>.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies the text before the call returns, so the buffer need not stay pinned.</summary>
    private static readonly IntPtr Transient = new(-1);

    /// <summary>Whether SQLitePCLRaw runs on e_sqlite3 and this class reaches the same library (same version).</summary>
    public static bool IsAvailable { get; } = Probe();

    public static int BindInt64(IntPtr statement, int index, long value) => NativeMethods.sqlite3_bind_int64(statement, index, value);

    public static int BindDouble(IntPtr statement, int index, double value) => NativeMethods.sqlite3_bind_double(statement, index, value);

    public static int BindNull(IntPtr statement, int index) => NativeMethods.sqlite3_bind_null(statement, index);

    public static int BindText(IntPtr statement, int index, ReadOnlySpan<byte> utf8) =>
        NativeMethods.sqlite3_bind_text(statement, index, ref MemoryMarshal.GetReference(utf8), utf8.Length, Transient);

    public static int Step(IntPtr statement) => NativeMethods.sqlite3_step(statement);

    public static int Reset(IntPtr statement) => NativeMethods.sqlite3_reset(statement);

    private static bool Probe()
    {
        if (!string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return NativeMethods.sqlite3_libversion_number() == raw.sqlite3_libversion_number();
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        // Binding only copies a value into the statement: it never blocks or calls back, so the GC transition is skipped.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_bind_int64(IntPtr statement, int index, long value);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_bind_double(IntPtr statement, int index, double value);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_bind_null(IntPtr statement, int index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_bind_text(IntPtr statement, int index, ref byte text, int length, IntPtr destructor);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_step(IntPtr statement);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_reset(IntPtr statement);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_libversion_number();
    }
}
