using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Dedup.Matching;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>One row of a labelled evaluation file (format of shared/data/dedup/README.md).</summary>
public sealed record LabelledRecord(string RecordId, string? EntityId, MatchRecord Record);

/// <summary>
/// Reads the labelled CSV format: <c>record_id,entity_id,first_name,last_name,date_of_birth,address_line1,
/// address_line2,city,postcode,state,email,phone</c>, UTF-8, RFC 4180 quoting. Columns are found by header name, so
/// their order does not matter and unknown columns are ignored.
/// </summary>
public static class LabelledRecords
{
    public static List<LabelledRecord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = ParseCsv(reader.ReadToEnd());
        if (rows.Count == 0)
        {
            return [];
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name);
        var recordId = Column("record_id");
        var entityId = Column("entity_id");
        if (recordId < 0 || entityId < 0)
        {
            throw new FormatException("The file needs record_id and entity_id columns.");
        }

        int first = Column("first_name"), last = Column("last_name"), dob = Column("date_of_birth"), line1 = Column("address_line1"),
            line2 = Column("address_line2"), city = Column("city"), postcode = Column("postcode"), state = Column("state"),
            email = Column("email"), phone = Column("phone");
        var result = new List<LabelledRecord>(rows.Count - 1);
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count == 1 && row[0].Length == 0)
            {
                continue;
            }

            string? Get(int c) => c >= 0 && c < row.Count && !string.IsNullOrWhiteSpace(row[c]) ? row[c].Trim() : null;
            var record = new MatchRecord
            {
                FirstName = Get(first),
                LastName = Get(last),
                DateOfBirth = DateOnly.TryParseExact(Get(dob), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
                Line1 = Get(line1),
                Line2 = Get(line2),
                City = Get(city),
                Postcode = Get(postcode),
                Region = Get(state),
                Email = Get(email),
                Phone = Get(phone),
            };
            result.Add(new LabelledRecord(Get(recordId) ?? r.ToString(CultureInfo.InvariantCulture), Get(entityId), record));
        }

        return result;
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    if (!(c == '\uFEFF' && rows.Count == 0 && row.Count == 0 && field.Length == 0))
                    {
                        field.Append(c);
                    }

                    break;
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>Pairwise precision, recall and F1.</summary>
public sealed record PairMetrics(long TruePositives, long Predicted, long Actual)
{
    public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;
    public double Recall => Actual == 0 ? 1 : (double)TruePositives / Actual;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Scores a clustering against labels: every pair of records put in one cluster is a predicted match.</summary>
public static class PairScoring
{
    /// <summary>Pairs of records sharing an entity (blank entity: a person of its own).</summary>
    public static long TruePairs(IReadOnlyList<string?> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        return entities.Where(e => e is not null).GroupBy(e => e, StringComparer.Ordinal).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
    }

    /// <summary><paramref name="clusters"/>[i] is record i's cluster representative, -1 for none.</summary>
    public static PairMetrics Score(int[] clusters, IReadOnlyList<string?> entities)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(entities);
        long predicted = 0, truePositives = 0;
        var byCluster = new Dictionary<int, List<int>>();
        for (var i = 0; i < clusters.Length; i++)
        {
            if (clusters[i] >= 0)
            {
                if (!byCluster.TryGetValue(clusters[i], out var list))
                {
                    byCluster[clusters[i]] = list = [];
                }

                list.Add(i);
            }
        }

        foreach (var members in byCluster.Values)
        {
            predicted += (long)members.Count * (members.Count - 1) / 2;
            foreach (var group in members.Where(m => entities[m] is not null).GroupBy(m => entities[m], StringComparer.Ordinal))
            {
                truePositives += (long)group.Count() * (group.Count() - 1) / 2;
            }
        }

        return new PairMetrics(truePositives, predicted, TruePairs(entities));
    }

    /// <summary>How many of the true pairs blocking kept: candidate pairs whose records share an entity.</summary>
    public static long TruePairsAmong(CandidatePairs pairs, IReadOnlyList<string?> entities)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(entities);
        long kept = 0;
        for (var k = 0; k < pairs.Count; k++)
        {
            var a = entities[pairs.Left[k]];
            if (a is not null && a == entities[pairs.Right[k]])
            {
                kept++;
            }
        }

        return kept;
    }
}
