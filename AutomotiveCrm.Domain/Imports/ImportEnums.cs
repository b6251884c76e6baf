namespace AutomotiveCrm.Domain.Imports;

/// <summary>The kinds of file a dealer management system (DMS) delivers. Specifications: docs/imports/.</summary>
public enum ImportFileType
{
    Customers,
    Vehicles,
    Sales,
    ServiceHistory,
    LabourLines,
    PartLines,
    NewStock,
    UsedStock,
    FutureBookings,
    WorkshopTransactions,
}

/// <summary>Where a file stands in the pipeline. Completed, Failed and Refused are final.</summary>
public enum ImportStatus
{
    /// <summary>Stored and recorded; waiting for a worker.</summary>
    Received,
    /// <summary>Structure check (encoding, delimiter, column counts, headers) running.</summary>
    Checking,
    /// <summary>Rows being validated and written to the staging table.</summary>
    Staging,
    /// <summary>Staged rows being merged into the main tables in chunks.</summary>
    Merging,
    Completed,
    /// <summary>The file failed its structure check (or could not be processed): moved whole to the failed folder.</summary>
    Failed,
    /// <summary>The same content (SHA-256) was already imported for this dealer and type: nothing done.</summary>
    Refused,
}

public enum ImportChannel
{
    DropFolder,
    Upload,
    CommandLine,
}

public enum ImportDuplicateKind
{
    /// <summary>A later row of the same file repeats a record key seen earlier in it.</summary>
    RepeatedInFile,
    /// <summary>The row is identical to what the database already holds for its key.</summary>
    IdenticalToExisting,
}
