namespace AutomotiveCrm.Domain.Common;

internal static class Text
{
    /// <summary>Trims and turns blank into null, so that "empty" has one representation in the database.</summary>
    public static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
