using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Tenancy;

namespace AutomotiveCrm.Tests.Support;

/// <summary>An <see cref="ICurrentAccess"/> with a given scope, for component tests that render without signing in.</summary>
public sealed class FixedAccess(AccessScope scope, AuditActor? actor = null) : ICurrentAccess
{
    public AccessScope Scope { get; } = scope;
    public AuditActor Actor { get; } = actor ?? new AuditActor("test-user", "test@example.com", AuditSource.UI);
}
