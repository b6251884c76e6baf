namespace AutomotiveCrm.Tests.Support;

/// <summary>Thrown by tests on purpose, so that an assertion can tell the planned failure from a real one.</summary>
public sealed class SimulatedFailureException : Exception
{
    public SimulatedFailureException() : base("Simulated failure.") { }

    public SimulatedFailureException(string message) : base(message) { }

    public SimulatedFailureException(string message, Exception innerException) : base(message, innerException) { }
}
