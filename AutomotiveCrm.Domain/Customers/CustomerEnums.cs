namespace AutomotiveCrm.Domain.Customers;

/// <summary>Natural person or company (seed 001, "type of buyer").</summary>
public enum BuyerType
{
    Person,
    Company,
}

/// <summary>How the customer paid for purchases (seed 001 segmentation).</summary>
public enum PaymentMethod
{
    Cash,
    Finance,
    Lease,
    TradeInDeal,
}

/// <summary>Where the retail record came from.</summary>
public enum CustomerSource
{
    Manual,
    ImportFile,
    Lead,
}

public enum AddressKind
{
    Home,
    Work,
    Billing,
}

public enum PhoneKind
{
    Mobile,
    Home,
    Work,
}
