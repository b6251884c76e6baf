namespace AutomotiveCrm.Domain.Audit;

/// <summary>Who is changing data through a context, and on what occasion; stamped on every audit row.</summary>
public sealed record AuditActor(string? UserId, string UserName, AuditSource Source, string? CorrelationId = null)
{
    public static AuditActor System { get; } = new(null, "system", AuditSource.System);
}
