using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Domain.Persistence;

public static class PersistenceRegistration
{
    /// <summary>
    /// Registers <c>IDbContextFactory&lt;CrmDbContext&gt;</c> for the configured provider. Blazor Server components and
    /// services create one short-lived context per operation from it; no context is registered as scoped.
    /// The settings are read when first needed, so a test host's configuration overrides apply.
    /// </summary>
    public static IServiceCollection AddCrmPersistence(this IServiceCollection services, Func<IServiceProvider, DatabaseSettings> settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDbContextFactory<CrmDbContext>, CrmDbContextFactory>();
        return services;
    }

    private sealed class CrmDbContextFactory(DatabaseSettings settings, TimeProvider clock) : IDbContextFactory<CrmDbContext>
    {
        private readonly Func<CrmDbContext> create = CrmDatabase.ContextFactory(settings, clock);

        public CrmDbContext CreateDbContext() => create();
    }
}
