using AutomotiveCrm.Domain.Common;

namespace AutomotiveCrm.Domain.Customers;

/// <summary>
/// Input a user can correct: each message is keyed by the field it is about, so a form can show it beside that
/// field. The exception's message lists them all for callers that show one line.
/// </summary>
public sealed class CustomerValidationException : DomainException
{
    public CustomerValidationException()
        : this(new Dictionary<string, string>())
    {
    }

    public CustomerValidationException(string message)
        : this(new Dictionary<string, string> { [""] = message })
    {
    }

    public CustomerValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string> { [""] = message };
    }

    public CustomerValidationException(IReadOnlyDictionary<string, string> errors)
        : base(string.Join(" ", (errors ?? throw new ArgumentNullException(nameof(errors))).Values))
    {
        Errors = errors;
    }

    /// <summary>Field name (the property of the input record) to message.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    public static CustomerValidationException For(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}

/// <summary>Someone else saved the record since this user loaded it; their change is kept and this one is refused.</summary>
public sealed class CustomerConcurrencyException : DomainException
{
    public CustomerConcurrencyException()
        : base("This customer was changed by someone else after you opened it. Reload to see their change, then make yours again.")
    {
    }

    public CustomerConcurrencyException(string message) : base(message) { }

    public CustomerConcurrencyException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Collects field errors while a form is checked; throws them together.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, string> errors = [];

    public void Add(string field, string message) => errors.TryAdd(field, message);

    public void MaxLength(string field, string label, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"{label} can have at most {max} characters.");
        }
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new CustomerValidationException(errors);
        }
    }
}
