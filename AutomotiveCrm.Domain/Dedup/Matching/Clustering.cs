namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Groups linked records into clusters without chaining: links are taken strongest first, and two clusters are joined
/// only when most records of one match the records of the other (every cross pair is scored, whether or not blocking
/// paired them). Plain connected components would let A~B~C~D glue A to D through weak links.
/// </summary>
public static class Clustering
{
    /// <summary>
    /// Returns, for every store index, its cluster's representative (the smallest member index), or -1 for a record
    /// in no cluster. Only pairs scoring at least <paramref name="threshold"/> link records.
    /// </summary>
    public static int[] Cluster(MatchStore store, MatchModel model, CandidatePairs pairs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        var edges = new List<int>();
        var scores = pairs.ScoreArray;
        for (var k = 0; k < pairs.Count; k++)
        {
            if (scores[k] >= threshold)
            {
                edges.Add(k);
            }
        }

        var order = edges.ToArray();
        var keys = order.Select(k => -scores[k]).ToArray();
        Array.Sort(keys, order);

        var root = new Dictionary<int, int>();
        var members = new Dictionary<int, List<int>>();
        int Find(int x)
        {
            while (root.TryGetValue(x, out var parent) && parent != x)
            {
                x = parent;
            }

            return x;
        }

        var left = pairs.Left;
        var right = pairs.Right;
        foreach (var k in order)
        {
            var a = Find(left[k]);
            var b = Find(right[k]);
            if (a == b)
            {
                continue;
            }

            var ma = members.GetValueOrDefault(a) ?? [a];
            var mb = members.GetValueOrDefault(b) ?? [b];
            if (ma.Count + mb.Count > model.MaxClusterSize)
            {
                continue;
            }

            if (ma.Count + mb.Count > 2 && Reject(store, model, ma, mb, threshold))
            {
                continue;
            }

            // The larger cluster absorbs the smaller.
            if (ma.Count < mb.Count)
            {
                (a, b) = (b, a);
                (ma, mb) = (mb, ma);
            }

            ma.AddRange(mb);
            members[a] = ma;
            members.Remove(b);
            root[a] = a;
            root[b] = a;
        }

        var result = new int[store.Count];
        Array.Fill(result, -1);
        foreach (var (_, list) in members)
        {
            var representative = list.Min();
            foreach (var member in list)
            {
                result[member] = representative;
            }
        }

        return result;
    }

    /// <summary>
    /// Two clusters join when at least half of their cross pairs score at or above the threshold: a majority of the
    /// members agree. Measured on the development files, this keeps true clusters of people with many partial
    /// records together (a mean over weights lets one sparse record veto) while a chain of weak links, whose far ends
    /// do not match, stays apart.
    /// </summary>
    private static bool Reject(MatchStore store, MatchModel model, List<int> a, List<int> b, double threshold) =>
        LinkedFraction(store, model, a, b, threshold) < 0.5;

    /// <summary>The share of cross pairs (one record from each cluster) scoring at least the threshold.</summary>
    public static double LinkedFraction(MatchStore store, MatchModel model, List<int> a, List<int> b, double threshold)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = 0;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                n += model.Score(store, x, y, Comparisons.Compare(store, x, y)) >= threshold ? 1 : 0;
            }
        }

        return (double)n / (a.Count * b.Count);
    }
}
