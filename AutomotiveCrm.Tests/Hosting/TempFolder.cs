namespace AutomotiveCrm.Tests.Hosting;

/// <summary>A folder under the test run's temp directory, removed with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string SqliteConnection(string name = "crm.db") => $"Data Source={File(name)}";

    public void Dispose()
    {
        // SQLite pools connections; clear them so the files can be deleted.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background thread: the OS temp cleaner gets it.
        }
    }
}
