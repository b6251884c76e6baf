namespace AutomotiveCrm.Domain.Common;

/// <summary>Every persisted domain record has a 64-bit surrogate key.</summary>
public abstract class Entity
{
    public long Id { get; set; }
}

/// <summary>A record whose creation and last change are stamped by <c>TimestampInterceptor</c>; nothing stamps by hand.</summary>
public interface ITimestamped
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}

/// <summary>Rows that are history: inserted once and never updated or deleted (the context refuses both).</summary>
public interface IAppendOnly;
