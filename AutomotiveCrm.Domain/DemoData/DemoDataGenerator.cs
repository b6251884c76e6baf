namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// Deterministic demo data: the same organisation, seed and customer count always give the same records.
/// </summary>
/// <remarks>
/// Customers are generated in blocks of <see cref="BlockSize"/> consecutive records, each block from its own random
/// stream, so a block does not depend on the batch size, on other blocks or on the thread that generates it.
/// Everything that links records to each other stays inside a block: a planted duplicate copies an earlier person
/// of its block, and a vehicle sold by one customer is bought by a later customer of the same block. Streaming
/// blocks keeps memory flat whatever the customer count.
/// <para>
/// <see cref="DemoBatch"/> explains how records are linked; <see cref="DemoSourceReference"/> how every record is
/// tagged with its index (and a planted duplicate with the index of the record it duplicates).
/// </para>
/// </remarks>
public sealed class DemoDataGenerator
{
    public const int BlockSize = 1000;
    public const int MaxCustomers = 1_000_000;
    /// <summary>Share of retail records that are planted duplicates of an earlier record of the same person.</summary>
    public const double DuplicateShare = 0.05;

    private readonly DemoCatalogue _catalogue;

    public DemoDataGenerator(DemoOrganisation organisation, int seed, int customers)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(customers, MaxCustomers);
        if (organisation.Network.Id == 0 || organisation.Dealers.Any(d => d.Id == 0) || organisation.Brands.Any(b => b.Id == 0))
        {
            throw new ArgumentException("The organisation must be saved (or created detached) before generating: records refer to it by id.", nameof(organisation));
        }

        Organisation = organisation;
        Seed = seed;
        Customers = customers;
        _catalogue = new DemoCatalogue(organisation);
    }

    /// <summary>The first day any demo history starts on.</summary>
    public static DateOnly FirstDay { get; } = new(2016, 1, 1);

    /// <summary>The demo's "today": no date in the data is later, whenever it is generated.</summary>
    public static DateOnly LastDay { get; } = new(2026, 10, 31);

    public DemoOrganisation Organisation { get; }
    public int Seed { get; }
    /// <summary>Retail customer records to generate, planted duplicates included.</summary>
    public int Customers { get; }
    public int BlockCount => (Customers + BlockSize - 1) / BlockSize;

    /// <summary>Generates consecutive blocks into one batch. Safe to call from several threads at once.</summary>
    public DemoBatch Generate(int firstBlock, int blockCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBlock);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBlock + blockCount, BlockCount);

        var sink = new DemoBlockSink();
        for (var block = firstBlock; block < firstBlock + blockCount; block++)
        {
            var first = block * BlockSize;
            var count = Math.Min(BlockSize, Customers - first);
            new DemoBlockGenerator(_catalogue, Seed, block, first, count, sink).Run();
        }

        return new DemoBatch(firstBlock * BlockSize, sink.Customers, sink.Vehicles, sink.Relationships, sink.Duplicates, sink.VehicleDuplicates);
    }

    /// <summary>All data, batch after batch; only one batch is alive at a time if the caller lets it go.</summary>
    public IEnumerable<DemoBatch> Batches(int blocksPerBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerBatch, 1);
        for (var block = 0; block < BlockCount; block += blocksPerBatch)
        {
            yield return Generate(block, Math.Min(blocksPerBatch, BlockCount - block));
        }
    }
}
