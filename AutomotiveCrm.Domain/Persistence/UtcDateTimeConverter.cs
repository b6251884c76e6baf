using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>
/// Every instant is stored in UTC. SQLite and SQL Server read values back with an unspecified kind; marking them
/// UTC on the way in keeps comparisons and PostgreSQL's timestamptz (which refuses non-UTC kinds) consistent.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
