namespace AutomotiveCrm.Domain.DemoData;

/// <summary>What one written batch contributes to a load's result.</summary>
internal interface IDemoBatchSummary
{
    int Customers { get; }
    int Duplicates { get; }
    long RowCount { get; }
    /// <summary>Per dealer group, a customer with a current relationship and that relationship's vehicle.</summary>
    IEnumerable<(long GroupId, DemoGroupSampleIds Sample)> Samples { get; }
}

internal sealed record DemoGroupSampleIds(long CustomerId, long VehicleId);

/// <summary>What a load wrote, and one customer and vehicle per group to show as examples.</summary>
internal sealed class DemoLoadResult
{
    private readonly Dictionary<long, DemoGroupSampleIds> _samples = [];

    public int Customers { get; private set; }
    public int Duplicates { get; private set; }
    public long Rows { get; private set; }
    public IReadOnlyDictionary<long, DemoGroupSampleIds> Samples => _samples;

    /// <summary>Counts a written batch; the first sample of each group is kept.</summary>
    public void Add(IDemoBatchSummary batch)
    {
        Customers += batch.Customers;
        Duplicates += batch.Duplicates;
        Rows += batch.RowCount;
        foreach (var (group, sample) in batch.Samples)
        {
            _samples.TryAdd(group, sample);
        }
    }

    /// <summary>The first current relationship of each group in the batch (ids must be known).</summary>
    public static IEnumerable<(long GroupId, DemoGroupSampleIds Sample)> SamplesOf(DemoBatch batch)
    {
        var seen = new HashSet<long>();
        foreach (var r in batch.Relationships)
        {
            if (r.EndDate is null && seen.Add(r.DealerGroupId))
            {
                yield return (r.DealerGroupId, new DemoGroupSampleIds(r.Customer!.Id, r.Vehicle!.Id));
            }
        }
    }
}

/// <summary>A batch written through EF Core, summarised once its ids are known.</summary>
internal sealed class SavedDemoBatch(DemoBatch batch) : IDemoBatchSummary
{
    private readonly List<(long GroupId, DemoGroupSampleIds Sample)> _samples = [.. DemoLoadResult.SamplesOf(batch)];

    public int Customers => batch.Customers.Count;
    public int Duplicates => batch.Duplicates.Count;
    public long RowCount => batch.RowCount;
    public IEnumerable<(long GroupId, DemoGroupSampleIds Sample)> Samples => _samples;
}
