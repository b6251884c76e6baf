namespace AutomotiveCrm.Domain.Common;

/// <summary>A business rule refused an operation; the message is meant for the user.</summary>
public class DomainException : Exception
{
    public DomainException() { }

    public DomainException(string message) : base(message) { }

    public DomainException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The record does not exist, or the caller may not see it: both answer the same way.</summary>
public sealed class RecordNotFoundException : DomainException
{
    public RecordNotFoundException() { }

    public RecordNotFoundException(string message) : base(message) { }

    public RecordNotFoundException(string message, Exception innerException) : base(message, innerException) { }

    public static RecordNotFoundException For<T>(long id) => new($"{typeof(T).Name} {id} was not found.");
}
