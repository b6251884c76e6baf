using System.Globalization;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Tenancy;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// The import pipeline's services: <see cref="ImportSettings"/> (section "Imports", relative paths resolved against
/// the content root), <see cref="ImportIntake"/> and <see cref="ImportProcessor"/> (singletons: they hold no state
/// between calls and create one context per operation), the background worker and the drop-folder watcher.
/// </summary>
public static class ImportsRegistration
{
    public static IServiceCollection AddCrmImports(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Read when first needed, so a test host's configuration overrides apply.
        services.AddSingleton(sp => ReadSettings(configuration, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton(sp => new ImportIntake(sp.GetRequiredService<ISystemDbContextFactory>(), sp.GetRequiredService<ImportSettings>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<IImportNotifier>()));
        services.AddSingleton(sp => new ImportProcessor(sp.GetRequiredService<ISystemDbContextFactory>(), sp.GetRequiredService<ImportSettings>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<IImportNotifier>()));
        services.AddHostedService<ImportWorker>();
        services.AddSingleton<DropFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DropFolderWatcher>());
        return services;
    }

    /// <summary>The "Imports" section with relative paths made absolute against <paramref name="contentRoot"/>; clear errors for bad values.</summary>
    public static ImportSettings ReadSettings(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new ImportSettings();
        configuration.GetSection(ImportSettings.Section).Bind(settings);
        settings.InboxPath = Resolve(settings.InboxPath, contentRoot, "InboxPath");
        settings.StorePath = Resolve(settings.StorePath, contentRoot, "StorePath");
        Require(settings.StableSeconds >= 0, "StableSeconds", settings.StableSeconds, "0 or more");
        Require(settings.ScanSeconds >= 1, "ScanSeconds", settings.ScanSeconds, "1 or more");
        Require(settings.MergeChunkRows >= 1, "MergeChunkRows", settings.MergeChunkRows, "1 or more");
        Require(settings.MaxLockMilliseconds >= 10, "MaxLockMilliseconds", settings.MaxLockMilliseconds, "10 or more");
        return settings;
    }

    private static string Resolve(string path, string contentRoot, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"Configuration Imports:{key} is empty: give a folder.");
        }

        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path));
    }

    private static void Require(bool condition, string key, int value, string expected)
    {
        if (!condition)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Configuration Imports:{key} is {value}: it must be {expected}."));
        }
    }
}
