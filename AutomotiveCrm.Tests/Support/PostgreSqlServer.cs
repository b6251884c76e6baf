using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AutomotiveCrm.Domain.Persistence;
using Npgsql;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the whole PostgreSQL suite: created with <c>initdb</c> in a temporary folder,
/// started on a free loopback port, stopped and deleted when the suite ends. Databases are copies of a migrated
/// template database, so each test class or test gets its own in milliseconds.
/// </summary>
/// <remarks>
/// Use it through the collection: <c>[Collection(PostgreSqlServer.CollectionName)]</c> on the test class and a
/// constructor parameter of this type, then <c>await using var database = await server.CreateDatabaseAsync()</c>
/// in a test (or in <c>InitializeAsync</c>, as <see cref="DatabaseTest"/> does). A database costs tens of
/// milliseconds, so one per test is the norm. Tests in the collection run one after another, beside the SQLite tests.
/// <para>
/// PostgreSQL refuses to run as root. Under root (as CI runs) every server command runs as the <c>postgres</c> OS
/// user through <c>runuser</c> and the folder is handed to that user; as an ordinary user the commands run directly.
/// Missing binaries fail every test of the collection with a message saying what to install: a provider suite that
/// silently skips would report green on a machine that never tested PostgreSQL.
/// </para>
/// </remarks>
public sealed class PostgreSqlServer : IAsyncLifetime, IDisposable
{
    public const string CollectionName = "PostgreSQL";

    private const string SuperUser = "postgres";
    private const string ServiceAccount = "postgres";
    private const string TemplateDatabase = "crm_template";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _createLock = new(1, 1);
    private string? _binDirectory;
    private string? _root;
    private string? _socketDirectory;
    private bool _runAsServiceAccount;
    private int _databaseCounter;

    public int Port { get; private set; }

    /// <summary>The server's data folder; its <c>server.log</c> is quoted in every start-up error.</summary>
    public string DataDirectory => Path.Combine(Root, "data");

    private string Root => _root ?? throw new InvalidOperationException("The server is not initialised.");

    private string LogFile => Path.Combine(Root, "server.log");

    /// <summary>A connection string for a database on this server (trust authentication on loopback: no password).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        IncludeErrorDetail = true,
    }.ToString();

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinaries();
        _runAsServiceAccount = Environment.IsPrivilegedProcess;
        try
        {
            _root = await CreateRootFolderAsync();
            _socketDirectory = await CreateSocketDirectoryAsync();
            await RunServerToolAsync("initdb", "--pgdata", DataDirectory, "--username", SuperUser, "--auth", "trust",
                "--encoding", "UTF8", "--no-locale", "--no-sync");
            await StartOnFreePortAsync();
            await WaitUntilAcceptingConnectionsAsync();
            await CreateTemplateAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A new database for one test or test class. By default it is a copy of the migrated template; pass
    /// <paramref name="migrated"/> false for an empty database (tests of migrating from nothing).
    /// </summary>
    public async Task<PostgreSqlTestDatabase> CreateDatabaseAsync(bool migrated = true)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"crm_test_{Interlocked.Increment(ref _databaseCounter)}");
        var template = migrated ? $" TEMPLATE \"{TemplateDatabase}\"" : string.Empty;
        // Copying a template needs it to be free of sessions; creations are serialised so two never overlap.
        await _createLock.WaitAsync();
        try
        {
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"{template}");
        }
        finally
        {
            _createLock.Release();
        }

        return new PostgreSqlTestDatabase(this, name, new DatabaseSettings
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = ConnectionString(name),
        });
    }

    internal async Task DropDatabaseAsync(string name, string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // The pid file rather than a flag: a start that timed out may still have left a server running.
        if (_root is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await StopAsync();
        }

        if (_socketDirectory is not null && Directory.Exists(_socketDirectory))
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }

        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>xunit calls this after <see cref="DisposeAsync"/>, which stops the server.</summary>
    public void Dispose() => _createLock.Dispose();

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("POSTGRES_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb"))
                ? configured
                : throw new InvalidOperationException($"POSTGRES_BIN is set to '{configured}', but it holds no initdb.");
        }

        // Debian installs each major version side by side; prefer the newest.
        const string debianRoot = "/usr/lib/postgresql";
        var found = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Directory, "initdb")) && File.Exists(Path.Combine(c.Directory, "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Directory)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "The PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl, postgres) but none were found under " +
            $"{debianRoot}/<version>/bin. Install them (Debian: apt-get install postgresql) or set POSTGRES_BIN to their folder.");
    }

    private async Task<string> CreateRootFolderAsync()
    {
        var root = Directory.CreateTempSubdirectory("acrm-pg-").FullName;
        if (!_runAsServiceAccount)
        {
            return root;
        }

        await RunAsync("chown", [$"{ServiceAccount}:", root], asServiceAccount: false);
        if ((await RunAsync("test", ["-w", root], asServiceAccount: true, throwOnFailure: false)).ExitCode == 0)
        {
            return root;
        }

        // The temporary folder lies below a folder the service account cannot enter (for example a clone under
        // /root): fall back to the system's shared temporary folder, which every user can use.
        Directory.Delete(root, recursive: true);
        root = Path.Combine("/tmp", "acrm-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        await RunAsync("chown", [$"{ServiceAccount}:", root], asServiceAccount: false);
        return root;
    }

    private async Task<string> CreateSocketDirectoryAsync()
    {
        // A Unix socket path is limited to 107 bytes; the socket file name adds up to 16 to the folder's path.
        var directory = Path.Combine(Root, "sock");
        if (directory.Length > 90)
        {
            directory = Path.Combine("/tmp", "acrm-pgs-" + Guid.NewGuid().ToString("N")[..8]);
        }

        Directory.CreateDirectory(directory);
        if (_runAsServiceAccount)
        {
            await RunAsync("chown", [$"{ServiceAccount}:", directory], asServiceAccount: false);
        }

        return directory;
    }

    private async Task StartOnFreePortAsync()
    {
        // Another process can take the port between asking for a free one and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            // Durability settings are off: the server lives for one test run and is deleted afterwards.
            var options = string.Join(' ',
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                "-c listen_addresses=127.0.0.1",
                $"-k '{_socketDirectory}'",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=50",
                "-c log_min_messages=warning");
            var result = await RunServerToolAsync("pg_ctl", ["--pgdata", DataDirectory, "--log", LogFile, "--wait",
                "--timeout", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-o", options, "start"], throwOnFailure: false);
            if (result.ExitCode == 0)
            {
                return;
            }

            var log = ReadLog();
            if (attempt < 3 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start on port {Port} (pg_ctl exit code {result.ExitCode}).{Environment.NewLine}" +
                $"pg_ctl output:{Environment.NewLine}{result.Output}{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{log}");
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                last = ex;
                await Task.Delay(200);
            }
        }

        throw new InvalidOperationException(
            $"PostgreSQL on port {Port} did not accept connections within {StartTimeout.TotalSeconds:0} s: {last?.Message}" +
            $"{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{ReadLog()}", last);
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAdminAsync($"CREATE DATABASE \"{TemplateDatabase}\"");
        var settings = new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = ConnectionString(TemplateDatabase) };
        await using (var context = CrmDatabase.CreateContext(settings))
        {
            await CrmDatabase.MigrateAsync(context);
        }

        // CREATE DATABASE ... TEMPLATE refuses while any session is connected to the template, pooled ones included.
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    private async Task StopAsync()
    {
        var result = await RunServerToolAsync("pg_ctl", ["--pgdata", DataDirectory, "--mode", "fast", "--wait", "stop"], throwOnFailure: false);
        if (result.ExitCode != 0)
        {
            await RunServerToolAsync("pg_ctl", ["--pgdata", DataDirectory, "--mode", "immediate", "--wait", "stop"], throwOnFailure: false);
        }
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log was written)";
        }
        catch (IOException ex)
        {
            return $"(the server log could not be read: {ex.Message})";
        }
    }

    private Task<(int ExitCode, string Output)> RunServerToolAsync(string tool, params string[] arguments) =>
        RunServerToolAsync(tool, arguments, throwOnFailure: true);

    private Task<(int ExitCode, string Output)> RunServerToolAsync(string tool, string[] arguments, bool throwOnFailure) =>
        RunAsync(Path.Combine(_binDirectory!, tool), arguments, _runAsServiceAccount, throwOnFailure);

    private async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, bool asServiceAccount, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service account may not be able to enter the test's working folder; the server folder it owns.
            WorkingDirectory = _root is not null && Directory.Exists(_root) ? _root : Path.GetTempPath(),
        };
        if (asServiceAccount)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", ServiceAccount, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not run {start.FileName}: {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"{Describe(start)} did not finish within {CommandTimeout.TotalSeconds:0} s.{Environment.NewLine}{Snapshot(output)}");
        }

        // WaitForExitAsync returns once the output streams are drained, so the text is complete here.
        var text = Snapshot(output);
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Describe(start)} failed with exit code {process.ExitCode}:{Environment.NewLine}{text}");
        }

        return (process.ExitCode, text);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Describe(ProcessStartInfo start) => $"'{start.FileName} {string.Join(' ', start.ArgumentList)}'";
}

/// <summary>Every PostgreSQL test class joins this collection, so the suite shares one server.</summary>
[CollectionDefinition(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>;
