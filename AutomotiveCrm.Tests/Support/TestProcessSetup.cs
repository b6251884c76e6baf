using System.Runtime.CompilerServices;

namespace AutomotiveCrm.Tests.Support;

internal static class TestProcessSetup
{
    /// <summary>
    /// The suite runs collections in parallel on two cores: bUnit's WaitForAssertion blocks its thread while real
    /// Kestrel hosts, Playwright and PostgreSQL I/O need pool threads for their continuations. The pool's default
    /// minimum (one per core) then injects threads too slowly and a render can starve; a higher floor avoids that.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
