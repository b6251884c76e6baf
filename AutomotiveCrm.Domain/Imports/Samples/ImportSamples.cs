using AutomotiveCrm.Domain.Imports.Profiles;

namespace AutomotiveCrm.Domain.Imports.Samples;

/// <summary>One sample file of a DMS provider, embedded in the domain assembly.</summary>
/// <param name="FileName">The name it is delivered under; the provider's profile recognises its type by it.</param>
/// <param name="DataRows">Its data rows (header excluded); every one is valid.</param>
public sealed record ImportSample(string DmsProvider, ImportFileType FileType, string FileName, int DataRows)
{
    /// <summary>The manifest resource name (see the EmbeddedResource item of the project file).</summary>
    public string ResourceName => "ImportSamples." + FileName;
}

/// <summary>
/// The sample files of the two fictional DMS providers (Imports/Samples/Roadstar and Imports/Samples/WerkstattPlus),
/// embedded as resources so that tests, the demo and the command line find them wherever the app runs. They are
/// consistent across types: sales, service visits and bookings refer to the customers and vehicles files, labour and
/// part lines and transactions to the service visits. Roadstar files are UTF-8 with LF line ends; Werkstatt Plus
/// files are windows-1252 with CRLF line ends and umlauts.
/// </summary>
public static class ImportSamples
{
    public static IReadOnlyList<ImportSample> All { get; } =
    [
        new(DefaultImportProfiles.Roadstar, ImportFileType.Customers, "CUSTOMERS_20260301.csv", 30),
        new(DefaultImportProfiles.Roadstar, ImportFileType.Vehicles, "VEHICLES_20260301.csv", 30),
        new(DefaultImportProfiles.Roadstar, ImportFileType.Sales, "SALES_20260301.csv", 24),
        new(DefaultImportProfiles.Roadstar, ImportFileType.ServiceHistory, "SERVICE_HISTORY_20260301.csv", 30),
        new(DefaultImportProfiles.Roadstar, ImportFileType.LabourLines, "LABOUR_LINES_20260301.csv", 40),
        new(DefaultImportProfiles.Roadstar, ImportFileType.PartLines, "PART_LINES_20260301.csv", 45),
        new(DefaultImportProfiles.Roadstar, ImportFileType.NewStock, "NEW_STOCK_20260301.csv", 20),
        new(DefaultImportProfiles.Roadstar, ImportFileType.UsedStock, "USED_STOCK_20260301.csv", 20),
        new(DefaultImportProfiles.Roadstar, ImportFileType.FutureBookings, "BOOKINGS_20260301.csv", 20),
        new(DefaultImportProfiles.Roadstar, ImportFileType.WorkshopTransactions, "WORKSHOP_TRANSACTIONS_20260301.csv", 35),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.Customers, "KUNDEN_20260301.txt", 30),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.Vehicles, "FAHRZEUGE_20260301.txt", 30),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.Sales, "VERKAEUFE_20260301.txt", 24),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.ServiceHistory, "WERKSTATT_20260301.txt", 30),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.LabourLines, "ARBEITSPOSITIONEN_20260301.txt", 40),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.PartLines, "TEILEPOSITIONEN_20260301.txt", 45),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.NewStock, "NEUWAGEN_20260301.txt", 20),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.UsedStock, "GEBRAUCHTWAGEN_20260301.txt", 20),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.FutureBookings, "TERMINE_20260301.txt", 20),
        new(DefaultImportProfiles.WerkstattPlus, ImportFileType.WorkshopTransactions, "BUCHUNGEN_20260301.txt", 35),
    ];

    /// <summary>
    /// The order in which a provider's samples import cleanly: customers and vehicles before the files that refer to
    /// them, service visits before their lines and transactions.
    /// </summary>
    public static IReadOnlyList<ImportFileType> ImportOrder { get; } =
    [
        ImportFileType.Customers, ImportFileType.Vehicles, ImportFileType.Sales, ImportFileType.ServiceHistory,
        ImportFileType.LabourLines, ImportFileType.PartLines, ImportFileType.WorkshopTransactions,
        ImportFileType.FutureBookings, ImportFileType.NewStock, ImportFileType.UsedStock,
    ];

    public static ImportSample For(string dmsProvider, ImportFileType fileType) =>
        All.First(s => string.Equals(s.DmsProvider, dmsProvider, StringComparison.OrdinalIgnoreCase) && s.FileType == fileType);

    /// <summary>The provider's samples in <see cref="ImportOrder"/>.</summary>
    public static IReadOnlyList<ImportSample> Of(string dmsProvider) =>
        [.. ImportOrder.Select(type => For(dmsProvider, type))];

    /// <summary>The sample's bytes, exactly as the provider would deliver them.</summary>
    public static Stream Open(ImportSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return typeof(ImportSamples).Assembly.GetManifestResourceStream(sample.ResourceName)
            ?? throw new InvalidOperationException($"The sample {sample.FileName} is not embedded in {typeof(ImportSamples).Assembly.GetName().Name}.");
    }

    /// <summary>Writes the provider's samples into <paramref name="folder"/> (e.g. a dealer's drop folder); returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> CopyToAsync(string dmsProvider, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var sample in Of(dmsProvider))
        {
            var path = Path.Combine(folder, sample.FileName);
            await using (var source = Open(sample))
            await using (var target = File.Create(path))
            {
                await source.CopyToAsync(target, cancellationToken);
            }

            paths.Add(path);
        }

        return paths;
    }
}
