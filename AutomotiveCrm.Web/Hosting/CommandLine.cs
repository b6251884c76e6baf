using System.Diagnostics;
using System.Globalization;
using AutomotiveCrm.Domain.DemoData;
using System.Text.Json;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Bench;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Imports;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>
/// The operator's verbs of the web executable: <c>dotnet run --project AutomotiveCrm.Web -- VERB ...</c>.
/// Configuration comes from appsettings.json, environment variables and <c>--Section:Key=value</c> arguments, as for
/// the web app. Results that scripts read are printed last, as one JSON line, on standard output; progress goes to
/// standard error. Exit codes: 0 done, 1 failed, 2 bad arguments.
/// </summary>
public static partial class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly string[] Verbs = ["migrate", "seed-demo", "import", "dedup", "bench", "dispatch", "help", "--help", "-h"];

    public const string HelpText = """
        AutomotiveCrm command line (dotnet run --project AutomotiveCrm.Web -- VERB [options])

          migrate                                Apply pending migrations to the configured database.
          seed-demo [--customers N] [--reset] [--seed N] [--password P] [--no-dedup] [--json]
                                                 Seed the deterministic demo data (default 5000 customers,
                                                 at most 1000000) and the demo users (every role at every
                                                 scope; password P, default Demo-Password-2026). Refuses a
                                                 database that already has customers unless --reset is given.
                                                 Then runs the first dedup pass (automatic merges, review
                                                 queue, wholesale links, duplicate vehicles) unless --no-dedup.
          import --dealer CODE --type TYPE [--profile NAME] FILE [--json]
                                                 Import a DMS file for the dealer through the whole pipeline
                                                 (structure check, validation, staging, merge, archive), in this
                                                 process; progress on stderr. TYPE: customers, vehicles, sales,
                                                 service-history, labour-lines, part-lines, new-stock, used-stock,
                                                 future-bookings, workshop-transactions (case-insensitive; may be
                                                 left out when a profile's file-name pattern recognises the file).
                                                 The same content already imported is refused; a run killed half-way
                                                 resumes when started again with the same file. --json prints the
                                                 file's counts as one JSON line last. Exit 0 Completed, 1 Failed or
                                                 Refused.
          bench seed [--customers N] [--database PATH]
                                                 Create a fresh SQLite database (default data/bench/bench.db)
                                                 with N customers (default 1000000); prints one JSON line.
          bench import [--rows N] [--database PATH]
                                                 Generate a Roadstar customers file and a service-history file of
                                                 N rows each (default 1000000), import both into a fresh SQLite
                                                 database (default data/bench/import.db) through the production
                                                 pipeline; prints one JSON line: rows, seconds, rows_per_s,
                                                 max_lock_ms, peak_mb (customers) and service_* figures.
          bench import-ceiling [--rows N] [--database PATH]
                                                 SQLite's own speed for what N new customers rows become (staging
                                                 plus six tables, production schema, no import code, one
                                                 transaction per table), then again without secondary indexes;
                                                 prints one JSON line: an upper bound for bench import.
          dedup run [--level retail|wholesale] [--json]
                                                 Full duplicate-matching run of every network at the level
                                                 (default retail): trains and stores the rule set when there is
                                                 none, merges (retail) or links (wholesale) the automatic band,
                                                 queues the review band for stewards.
          dedup evaluate FILE [--json]           Load a labelled file (shared/data/dedup format) into a throwaway
                                                 database, run the matching pipeline and print one JSON line:
                                                 records, candidate_pairs, blocking_recall, auto and
                                                 auto_plus_review precision/recall/f1, review_pairs, seconds,
                                                 peak_mb.
          bench dedup [--customers N] [--database PATH]
                                                 Generate N customers (default 1000000) with planted duplicates
                                                 in a fresh SQLite database (default data/bench/dedup.db), time
                                                 the full pass and 10,000 incremental records; one JSON line.
          bench segment [--database PATH] [--runs N] [--case TEXT] [--sql]
                                                 Time audience counts and first preview pages on the bench seed
                                                 database (default data/bench/bench.db) as a group user and a
                                                 network user; one JSON line with p50/p95 per case.
          bench labels [--count N] [--sheet SHEET] [--output PATH]
                                                 Format, sort by postcode and write N address labels (default
                                                 10000) as a label-sheet PDF; one JSON line: count, pages,
                                                 seconds, peak_mb, bytes.
          bench calllist [--rows N] [--writer streamed|styled] [--output PATH]
                                                 Write a call list of N rows (default 100000) as a workbook;
                                                 one JSON line: rows, seconds, peak_mb, bytes, writer.
          bench send [--recipients N] [--connections C] [--smtp-latency-ms L]
                                                 Render and enqueue N campaign e-mails and dispatch them to a
                                                 loopback SMTP server over C connections (default
                                                 Campaigns:Connections, 4), the server taking L ms to accept
                                                 each message (default 0); one JSON line with the rates.
          dispatch [--json]                      Send the queued e-mails of running campaign runs through
                                                 Email:Smtp:* until no run is left running (needs
                                                 Campaigns:UnsubscribeKey); resumes a killed dispatch.
          bench redeem [--redemptions N] [--workers W]
                                                 N reward redemptions (default 2000) from W concurrent desks
                                                 (default 4) on a fresh SQLite database, full durability; one
                                                 JSON line: p50/p95 latency ms, redemptions_per_s.
          bench redeem-race [--tasks N] [--hosts H]
                                                 N redemptions (default 50) released at once from H app
                                                 instances (default 2) on one database file, against a member
                                                 who can afford one; one JSON line: successes, min_balance,
                                                 ledger_consistent.
          help                                   This text.

        Configuration overrides, as for the web app: --Database:Provider=PostgreSql
          --ConnectionStrings:Crm="Host=127.0.0.1;Port=5432;Database=crm;Username=crm"
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ParsedArguments parsed;
        try
        {
            parsed = ParsedArguments.Parse(args);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            await stderr.WriteLineAsync("Run 'dotnet run --project AutomotiveCrm.Web -- help' for the verbs and options.");
            return Usage;
        }

        try
        {
            return parsed.Verb switch
            {
                "help" or "--help" or "-h" => await HelpAsync(stdout),
                "migrate" => await MigrateAsync(parsed, stdout, stderr, cancellationToken),
                "seed-demo" => await SeedDemoAsync(parsed, stdout, stderr, cancellationToken),
                "import" => await ImportAsync(parsed, stdout, stderr, cancellationToken),
                "dedup" => await DedupAsync(parsed, stdout, stderr, cancellationToken),
                "bench" => await BenchAsync(parsed, stdout, stderr, cancellationToken),
                "dispatch" => await DispatchAsync(parsed, stdout, stderr, cancellationToken),
                _ => throw new UsageException($"unknown verb '{parsed.Verb}'."),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            await stderr.WriteLineAsync("Run 'dotnet run --project AutomotiveCrm.Web -- help' for the verbs and options.");
            return Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Operators get the reason, not a stack trace: configuration errors, an unreachable server, a locked file.
            await stderr.WriteLineAsync($"error: {ex.Message}");
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                await stderr.WriteLineAsync($"  because: {inner.Message}");
            }

            return Failed;
        }
    }

    private static async Task<int> HelpAsync(TextWriter stdout)
    {
        await stdout.WriteLineAsync(HelpText);
        return Ok;
    }

    private static async Task<int> MigrateAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        parsed.EnsureOnly();
        var settings = ReadSettings(parsed);
        await using var db = CrmDatabase.CreateContext(settings);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await stderr.WriteLineAsync($"{settings.Provider}: applying {pending.Count} pending migration(s)...");
        await CrmDatabase.MigrateAsync(db, cancellationToken);
        await stdout.WriteLineAsync(pending.Count == 0
            ? $"{settings.Provider} database is up to date."
            : $"{settings.Provider} database migrated: {string.Join(", ", pending)}.");
        return Ok;
    }

    private static async Task<int> SeedDemoAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var customers = parsed.Int("--customers", 5000, min: 1, max: 1_000_000);
        var seed = parsed.Int("--seed", new DemoSeedOptions().Seed, min: 0, max: int.MaxValue);
        var reset = parsed.Flag("--reset");
        var json = parsed.Flag("--json");
        var password = parsed.Value("--password");
        var dedup = !parsed.Flag("--no-dedup");
        if (password is not null && DemoUsers.PasswordProblem(password) is { } problem)
        {
            throw new UsageException($"--password refused: {problem}.");
        }

        parsed.EnsureOnly();
        var settings = ReadSettings(parsed);

        var progress = new Progress<DemoSeedProgress>(p => stderr.WriteLine(Describe(p)));
        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(customers, seed, reset, password), progress, cancellationToken);
        if (result.AlreadySeeded)
        {
            await stderr.WriteLineAsync("The database already holds customers: nothing was seeded. Add --reset to replace them with the demo data.");
            if (json)
            {
                await stdout.WriteLineAsync(SeedJson(result));
            }

            return Failed;
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {result.Customers} customers ({result.Rows} rows) into {settings.Provider} in {result.Seconds:F1} s."));
        if (dedup)
        {
            await stderr.WriteLineAsync((await DemoDedup.RunAsync(settings, cancellationToken: cancellationToken)).Describe());
        }

        if (json)
        {
            await stdout.WriteLineAsync(SeedJson(result));
        }

        return Ok;
    }

    private static async Task<int> BenchAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var what = parsed.Positional(0) ?? throw new UsageException("bench needs what to measure: bench seed or bench import.");
        switch (what)
        {
            case "seed":
                var customers = parsed.Int("--customers", 1_000_000, min: 1, max: 10_000_000);
                var path = parsed.Value("--database") ?? Path.Combine("data", "bench", "bench.db");
                parsed.EnsureOnly(positionals: 1);
                var progress = new Progress<DemoSeedProgress>(p => stderr.WriteLine(Describe(p)));
                var result = await SeedBenchmark.RunAsync(Path.GetFullPath(path), customers, progress, cancellationToken);
                await stdout.WriteLineAsync(result.ToJson());
                return Ok;
            case "import":
                var rows = parsed.Int("--rows", 1_000_000, min: 1, max: 50_000_000);
                var database = parsed.Value("--database") ?? Path.Combine("data", "bench", "import.db");
                parsed.EnsureOnly(positionals: 1);
                var lines = new LineProgress(stderr);
                var imported = await ImportBenchmark.RunAsync(Path.GetFullPath(database), rows, lines, cancellationToken);
                await stdout.WriteLineAsync(imported.ToJson());
                return imported.Customers.File.Status == ImportStatus.Completed && imported.ServiceHistory.File.Status == ImportStatus.Completed ? Ok : Failed;
            case "import-ceiling":
                var ceilingRows = parsed.Int("--rows", 1_000_000, min: 1, max: 20_000_000);
                var ceilingDatabase = parsed.Value("--database") ?? Path.Combine("data", "bench", "ceiling.db");
                parsed.EnsureOnly(positionals: 1);
                var ceiling = await ImportCeiling.RunAsync(Path.GetFullPath(ceilingDatabase), ceilingRows, new LineProgress(stderr), cancellationToken);
                await stdout.WriteLineAsync(ceiling.ToJson());
                return Ok;
            case "dedup":
                return await BenchDedupAsync(parsed, stdout, stderr, cancellationToken);
            case "segment":
                return await BenchSegmentAsync(parsed, stdout, stderr, cancellationToken);
            case "labels":
                return await BenchLabelsAsync(parsed, stdout, stderr, cancellationToken);
            case "calllist":
                return await BenchCallListAsync(parsed, stdout, stderr, cancellationToken);
            case "send":
                return await BenchSendAsync(parsed, stdout, stderr, cancellationToken);
            case "redeem":
                return await BenchRedeemAsync(parsed, stdout, stderr, cancellationToken);
            case "redeem-race":
                return await BenchRedeemRaceAsync(parsed, stdout, stderr, cancellationToken);
            default:
                throw new UsageException($"unknown benchmark '{what}': use bench seed, import, import-ceiling, dedup, segment, labels, calllist, send, redeem or redeem-race.");
        }
    }

    /// <summary>
    /// Imports one file synchronously, in this process, through the same intake and processor as the web app. A file
    /// whose earlier run was killed (same content, still unfinished) is resumed rather than started again.
    /// </summary>
    private static async Task<int> ImportAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var dealer = parsed.Value("--dealer") ?? throw new UsageException("import needs --dealer CODE.");
        var typeText = parsed.Value("--type");
        var type = typeText is null ? (ImportFileType?)null : ParseFileType(typeText);
        var profile = parsed.Value("--profile");
        var json = parsed.Flag("--json");
        var path = parsed.Positional(0) ?? throw new UsageException("import needs the FILE to import.");
        parsed.EnsureOnly(positionals: 1);
        if (!File.Exists(path))
        {
            throw new UsageException($"the file '{path}' does not exist.");
        }

        var (settings, importSettings) = ReadImportSettings(parsed);
        await using var services = new ServiceCollection().AddCrmPersistence(_ => settings).BuildServiceProvider();
        var contexts = services.GetRequiredService<ISystemDbContextFactory>();
        await EnsureProfilesAsync(contexts, dealer, cancellationToken);

        var clock = Stopwatch.StartNew();
        var intake = new ImportIntake(contexts, importSettings, TimeProvider.System);
        var processor = new ImportProcessor(contexts, importSettings, TimeProvider.System);
        ImportFile file;
        await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            var request = new ImportRequest(dealer, type, profile, Path.GetFileName(path), ImportChannel.CommandLine, "command line");
            file = await intake.ReceiveAsync(request, content, cancellationToken);
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)}: import {file.Id} ({file.FileType}, {file.SizeBytes:N0} bytes) {(file.Status == ImportStatus.Received ? "received" : file.Status.ToString().ToLowerInvariant())}."));
        if (!ImportProcessor.IsFinal(file.Status))
        {
            file = await processor.ProcessAsync(file.Id, new ImportProgressLines(new LineProgress(stderr)), cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Import {file.Id} {file.Status}: {file.RowsRead:N0} rows read, {file.RowsRejected:N0} rejected, {file.RowsDuplicate:N0} duplicates, {file.RowsInserted:N0} inserted, {file.RowsUpdated:N0} updated, {file.RowsUnchanged:N0} unchanged ({seconds:F1} s).");
        await stderr.WriteLineAsync(file.StatusReason is null ? summary : $"{summary}{Environment.NewLine}{file.StatusReason}");
        await stdout.WriteLineAsync(json ? ImportJson(file, seconds) : summary);
        return file.Status == ImportStatus.Completed ? Ok : Failed;
    }

    /// <summary>Customers, service-history, ServiceHistory, "service history": the enum's names, case and separators aside.</summary>
    internal static ImportFileType ParseFileType(string text)
    {
        var squeezed = new string(text.Where(c => c is not ('-' or '_' or ' ')).ToArray());
        return squeezed.Length > 0 && squeezed.All(char.IsAsciiLetter) && Enum.TryParse<ImportFileType>(squeezed, ignoreCase: true, out var type)
            ? type
            : throw new UsageException($"--type '{text}' is not a file type: use {string.Join(", ", Enum.GetValues<ImportFileType>().Select(KebabName))}.");
    }

    private static string KebabName(ImportFileType type) =>
        string.Concat(type.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>A network without any profile (a fresh database) gets the built-in defaults, as the web app's worker does.</summary>
    private static async Task EnsureProfilesAsync(ISystemDbContextFactory contexts, string dealerCode, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var networkId = await db.Dealers.Where(d => d.Code == dealerCode.Trim()).Select(d => (long?)d.DealerGroup!.NetworkId).FirstOrDefaultAsync(cancellationToken);
        if (networkId is { } id && !await db.ImportProfiles.AnyAsync(p => p.NetworkId == id, cancellationToken))
        {
            await ImportProfileCatalog.EnsureDefaultsAsync(db, id, cancellationToken);
        }
    }

    private static string ImportJson(ImportFile file, double seconds) => JsonSerializer.Serialize(new
    {
        file_id = file.Id,
        status = file.Status.ToString(),
        rows_read = file.RowsRead,
        rejected = file.RowsRejected,
        duplicates = file.RowsDuplicate,
        inserted = file.RowsInserted,
        updated = file.RowsUpdated,
        unchanged = file.RowsUnchanged,
        seconds = Math.Round(seconds, 3),
        reason = file.StatusReason,
    });

    /// <summary>Writes each line at once on the calling thread (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        private readonly Lock gate = new();

        public void Report(string value)
        {
            lock (gate)
            {
                writer.WriteLine(value);
            }
        }
    }

    /// <summary>
    /// The seed-demo result for scripts and testers: the demo users (e-mail, password, roles, scope; administrators'
    /// TOTP key), one sample customer and vehicle per group, then the figures.
    /// </summary>
    private static string SeedJson(DemoSeedResult result) => JsonSerializer.Serialize(new
    {
        users = result.Users.Select(u => new
        {
            email = u.Email,
            password = u.Password,
            roles = u.Roles.Select(r => r.ToString()),
            scope = new { level = u.Level.ToString(), group = u.GroupCode, dealer = u.DealerCode },
            totpKey = u.TotpKey,
        }),
        groups = result.Groups.Select(g => new { code = g.GroupCode, customerId = g.CustomerId, vehicleId = g.VehicleId }),
        seeded = !result.AlreadySeeded,
        customers = result.AlreadySeeded ? result.ExistingCustomers : result.Customers,
        planted_duplicates = result.PlantedDuplicates,
        rows = result.Rows,
        seconds = Math.Round(result.Seconds, 2),
    });

    private static string Describe(DemoSeedProgress p) => p.Stage == DemoSeedStage.Writing
        ? string.Create(CultureInfo.InvariantCulture, $"  {p.CustomersWritten:N0} / {p.CustomersTotal:N0} customers, {p.RowsWritten:N0} rows, {p.Seconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"  {p.Stage} ({p.Seconds:F1} s)");

    private static DatabaseSettings ReadSettings(ParsedArguments parsed)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = parsed.ConfigurationArguments.ToArray() });
        return DatabaseConfiguration.Read(builder.Configuration, builder.Environment.ContentRootPath);
    }

    private static (DatabaseSettings Database, ImportSettings Imports) ReadImportSettings(ParsedArguments parsed)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = parsed.ConfigurationArguments.ToArray() });
        return (DatabaseConfiguration.Read(builder.Configuration, builder.Environment.ContentRootPath),
            ImportsRegistration.ReadSettings(builder.Configuration, builder.Environment.ContentRootPath));
    }

    private sealed class UsageException(string message) : Exception(message);

    /// <summary>A verb, its options (<c>--name value</c> or <c>--name=value</c>), flags, positionals and configuration overrides.</summary>
    private sealed class ParsedArguments
    {
        private readonly Dictionary<string, string?> options = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> positionals = [];

        public required string Verb { get; init; }
        public List<string> ConfigurationArguments { get; } = [];

        public static ParsedArguments Parse(string[] args)
        {
            var parsed = new ParsedArguments { Verb = args[0].ToLowerInvariant() };
            for (var i = 1; i < args.Length; i++)
            {
                var arg = args[i];
                if (!arg.StartsWith("--", StringComparison.Ordinal))
                {
                    parsed.positionals.Add(arg);
                    continue;
                }

                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? arg[..eq] : arg;
                if (name.Contains(':', StringComparison.Ordinal))
                {
                    // A configuration override such as --Database:Provider=PostgreSql, handed to the configuration system.
                    parsed.ConfigurationArguments.Add(arg);
                    if (eq < 0 && i + 1 < args.Length)
                    {
                        parsed.ConfigurationArguments.Add(args[++i]);
                    }

                    continue;
                }

                string? value = eq > 0 ? arg[(eq + 1)..] : null;
                if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && !IsFlag(name))
                {
                    value = args[++i];
                }

                if (!parsed.options.TryAdd(name, value))
                {
                    throw new UsageException($"option {name} is given twice.");
                }
            }

            return parsed;
        }

        private static bool IsFlag(string name) => name is "--reset" or "--json";

        public string? Positional(int index) => index < positionals.Count ? positionals[index] : null;

        public bool Flag(string name)
        {
            used.Add(name);
            if (!options.TryGetValue(name, out var value))
            {
                return false;
            }

            return value is null ? true : throw new UsageException($"{name} takes no value.");
        }

        public string? Value(string name)
        {
            used.Add(name);
            if (!options.TryGetValue(name, out var value))
            {
                return null;
            }

            return string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{name} needs a value.") : value;
        }

        public int Int(string name, int fallback, int min, int max)
        {
            var text = Value(name);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new UsageException($"{name} must be a whole number, not '{text}'.");
            }

            return n < min || n > max ? throw new UsageException($"{name} must be between {min} and {max}, not {n}.") : n;
        }

        /// <summary>Refuses options the verb does not know and extra positional words.</summary>
        public void EnsureOnly(int positionals = 0)
        {
            var unknown = options.Keys.Where(k => !used.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new UsageException($"{Verb} does not take {string.Join(", ", unknown)}.");
            }

            if (this.positionals.Count > positionals)
            {
                throw new UsageException($"unexpected argument '{this.positionals[positionals]}'.");
            }
        }
    }
}
