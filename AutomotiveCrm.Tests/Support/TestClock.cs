using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// Clocks for tests. Every save stamps <c>CreatedAt</c>/<c>UpdatedAt</c> from the context's <see cref="TimeProvider"/>,
/// and the wholesale survivorship rule orders retail records by <c>UpdatedAt</c>: a clock the test moves by hand
/// makes "the most recently updated record" a fact of the test rather than of the machine's speed.
/// </summary>
public static class TestClock
{
    /// <summary>The instant every test clock starts at unless a test says otherwise (a Monday morning, UTC).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);

    public static FakeTimeProvider At(DateTimeOffset now) => new(now);
}
