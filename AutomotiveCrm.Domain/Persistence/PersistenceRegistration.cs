using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Domain.Persistence;

public static class PersistenceRegistration
{
    /// <summary>
    /// Registers <c>IDbContextFactory&lt;CrmDbContext&gt;</c> for the configured provider. Blazor Server components and
    /// services create one short-lived context per operation from it; no context is registered as scoped.
    /// </summary>
    public static IServiceCollection AddCrmPersistence(this IServiceCollection services, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                Register<SqliteCrmDbContext>(services, settings);
                break;
            case DatabaseProvider.PostgreSql:
                Register<PostgresCrmDbContext>(services, settings);
                break;
            case DatabaseProvider.SqlServer:
                Register<SqlServerCrmDbContext>(services, settings);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider.");
        }

        return services;
    }

    private static void Register<T>(IServiceCollection services, DatabaseSettings settings)
        where T : CrmDbContext
    {
        services.AddDbContextFactory<T>((sp, options) => CrmDatabase.Configure(options, settings, sp.GetService<TimeProvider>()));
        services.AddSingleton<IDbContextFactory<CrmDbContext>>(sp => new CrmDbContextFactory<T>(sp.GetRequiredService<IDbContextFactory<T>>()));
    }

    private sealed class CrmDbContextFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<CrmDbContext>
        where T : CrmDbContext
    {
        public CrmDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
