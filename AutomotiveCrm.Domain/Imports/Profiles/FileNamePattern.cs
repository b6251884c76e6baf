namespace AutomotiveCrm.Domain.Imports.Profiles;

/// <summary>File-name globs of import profiles: * any run of characters, ? one character, case-insensitive.</summary>
public static class FileNamePattern
{
    /// <summary>Whether <paramref name="fileName"/> (a bare name, any folder part is ignored) matches the pattern as a whole.</summary>
    public static bool Matches(string pattern, string fileName)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(fileName);
        var name = Path.GetFileName(fileName.Replace('\\', '/')).AsSpan();
        var glob = pattern.AsSpan();

        // Iterative wildcard match with one backtrack point for the last star: linear in practice, no regex.
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < glob.Length && (glob[p] == '?' || char.ToUpperInvariant(glob[p]) == char.ToUpperInvariant(name[n])))
            {
                p++;
                n++;
            }
            else if (p < glob.Length && glob[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < glob.Length && glob[p] == '*')
        {
            p++;
        }

        return p == glob.Length;
    }
}
