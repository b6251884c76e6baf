using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>What was written: the temporary file, its SHA-256 (lower-case hex) and its size.</summary>
internal sealed record StoredContent(string TempPath, string Sha256, long SizeBytes);

/// <summary>
/// The import store on disk: <c>received/</c> (files waiting or being processed), <c>failed/</c> (files refused
/// whole) and <c>archive/yyyy/MM/</c> (gzip-compressed originals of finished files). Every file is written under a
/// temporary name, flushed to disk and then renamed, so a name in these folders always stands for complete content.
/// </summary>
internal sealed class ImportStore(ImportSettings settings)
{
    public const string ReceivedFolderName = "received";
    public const string FailedFolderName = "failed";
    public const string ArchiveFolderName = "archive";
    private const string TempSuffix = ".part";
    private const int BufferSize = 1 << 20;
    private const int MaxBaseNameLength = 180;

    public string Root { get; } = Path.GetFullPath(settings.StorePath);

    public string ReceivedFolder => Path.Combine(Root, ReceivedFolderName);

    public string FailedFolder => Path.Combine(Root, FailedFolderName);

    public string ReceivedPath(string storedName) => Path.Combine(ReceivedFolder, storedName);

    public string FailedPath(string storedName) => Path.Combine(FailedFolder, storedName);

    /// <summary>The archive's path relative to the store (what <see cref="ImportFile.ArchivePath"/> holds), with forward slashes.</summary>
    public static string ArchiveRelativePath(string storedName, DateTime receivedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{ArchiveFolderName}/{receivedAt:yyyy}/{receivedAt:MM}/{storedName}.gz");

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// The original name reduced to a harmless file name: the last path segment, without control characters,
    /// characters file systems refuse, leading dots (hidden files) or surrounding spaces; at most 180 characters before
    /// the extension. Never empty.
    /// </summary>
    public static (string BaseName, string Extension) SafeName(string originalName)
    {
        var name = originalName ?? "";
        var slash = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\'));
        name = name[(slash + 1)..];
        var invalid = Path.GetInvalidFileNameChars();
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsControl(c) || invalid.Contains(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : c);
        }

        name = builder.ToString().Trim().TrimStart('.').Trim();
        var extension = Path.GetExtension(name);
        if (extension.Length is > 12 or 1 || extension.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '.'))
        {
            extension = "";
        }

        var baseName = name[..(name.Length - extension.Length)].Trim().TrimEnd('.');
        if (baseName.Length > MaxBaseNameLength)
        {
            baseName = baseName[..MaxBaseNameLength];
        }

        return (baseName.Length == 0 ? "file" : baseName, extension.ToLowerInvariant());
    }

    /// <summary>The stored name for a delivery at <paramref name="at"/> (UTC): <c>{name}_{yyyyMMddHHmmssfff}{ext}</c>.</summary>
    public static string StoredName(string originalName, DateTime at)
    {
        var (baseName, extension) = SafeName(originalName);
        return string.Create(CultureInfo.InvariantCulture, $"{baseName}_{at:yyyyMMddHHmmssfff}{extension}");
    }

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file in <paramref name="folder"/>, hashing and counting as
    /// it goes (the content is never held in memory), and flushes it to disk. The caller renames or deletes it.
    /// </summary>
    public static async Task<StoredContent> WriteTempAsync(Stream content, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "." + Guid.NewGuid().ToString("N") + TempSuffix);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }

                output.Flush(flushToDisk: true);
            }

            return new StoredContent(temp, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Renames a finished temporary file to its stored name in <paramref name="folder"/>.</summary>
    public static string Commit(StoredContent content, string folder, string storedName)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, storedName);
        File.Move(content.TempPath, path, overwrite: false);
        return path;
    }

    /// <summary>Moves a received file to the failed folder (idempotent: a file already moved stays where it is).</summary>
    public void MoveToFailed(string storedName)
    {
        var source = ReceivedPath(storedName);
        if (!File.Exists(source))
        {
            return;
        }

        Directory.CreateDirectory(FailedFolder);
        File.Move(source, FailedPath(storedName), overwrite: true);
    }

    /// <summary>
    /// Compresses the received file to its archive path (through a temporary name, flushed, then renamed) and
    /// returns that path relative to the store. The received file stays until the caller has recorded the archive.
    /// Done again from the start if interrupted.
    /// </summary>
    public async Task<string> ArchiveAsync(string storedName, DateTime receivedAt, CancellationToken cancellationToken)
    {
        var relative = ArchiveRelativePath(storedName, receivedAt);
        var target = FullPath(relative);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = target + TempSuffix;
        try
        {
            await using (var input = new FileStream(ReceivedPath(storedName), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous))
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                {
                    await input.CopyToAsync(gzip, BufferSize, cancellationToken);
                }

                output.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
            return relative;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The stored original of a file, decompressed when archived; null when it is nowhere to be found.</summary>
    public Stream? Open(ImportFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.ArchivePath is { } archive && File.Exists(FullPath(archive)))
        {
            var compressed = new FileStream(FullPath(archive), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            return new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
        }

        foreach (var path in new[] { ReceivedPath(file.StoredName), FailedPath(file.StoredName) })
        {
            if (File.Exists(path))
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
            }
        }

        return null;
    }

    /// <summary>Opens the received file for one pass of reading.</summary>
    public FileStream OpenReceived(string storedName) =>
        new(ReceivedPath(storedName), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
}
