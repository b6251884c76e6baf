using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Domain.Tenancy;

/// <summary>
/// The signed-in user's view of the data and the name their changes are audited under. The web application
/// implements it from the authentication state; without one, contexts see nothing tenant-owned.
/// </summary>
public interface ICurrentAccess
{
    AccessScope Scope { get; }
    AuditActor Actor { get; }
}

/// <summary>Contexts for work done by the system itself (start-up, health, background jobs): they see everything.</summary>
public interface ISystemDbContextFactory
{
    CrmDbContext CreateDbContext(AuditSource source = AuditSource.System, string? correlationId = null);
}
