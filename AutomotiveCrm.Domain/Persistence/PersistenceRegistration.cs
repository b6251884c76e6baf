using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Domain.Persistence;

public static class PersistenceRegistration
{
    /// <summary>
    /// Registers the context factories for the configured provider. <c>IDbContextFactory&lt;CrmDbContext&gt;</c> is
    /// scoped (a Blazor circuit, a request) and gives every context the current user's <see cref="AccessScope"/> and
    /// audit name, so pages and endpoints can only read what their user may see; components create one short-lived
    /// context per operation from it. <see cref="ISystemDbContextFactory"/> is for the system's own work.
    /// The settings are read when first needed, so a test host's configuration overrides apply.
    /// </summary>
    public static IServiceCollection AddCrmPersistence(this IServiceCollection services, Func<IServiceProvider, DatabaseSettings> settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ContextCreator(CrmDatabase.ContextFactory(sp.GetRequiredService<DatabaseSettings>(), sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<ISystemDbContextFactory, SystemDbContextFactory>();
        services.AddScoped<IDbContextFactory<CrmDbContext>, UserDbContextFactory>();
        return services;
    }

    /// <summary>Builds the provider's options once; every context shares them (and EF's internal caches).</summary>
    private sealed class ContextCreator(Func<CrmDbContext> create)
    {
        public CrmDbContext Create() => create();
    }

    private sealed class SystemDbContextFactory(ContextCreator creator) : ISystemDbContextFactory
    {
        public CrmDbContext CreateDbContext(AuditSource source = AuditSource.System, string? correlationId = null)
        {
            var context = creator.Create();
            context.Scope = AccessScope.System;
            context.Actor = new AuditActor(null, "system", source, correlationId);
            return context;
        }
    }

    private sealed class UserDbContextFactory(ContextCreator creator, IServiceProvider services) : IDbContextFactory<CrmDbContext>
    {
        public CrmDbContext CreateDbContext()
        {
            var context = creator.Create();
            var access = services.GetService<ICurrentAccess>();
            context.Scope = access?.Scope ?? AccessScope.Nothing;
            context.Actor = access?.Actor ?? new AuditActor(null, "anonymous", AuditSource.UI);
            return context;
        }
    }
}
