namespace AutomotiveCrm.Domain.Vehicles;

public enum BodyType
{
    Coupe,
    Saloon,
    Hatchback,
    Estate,
    Suv,
    Mpv,
    Convertible,
    Van,
    Pickup,
}

public enum FuelType
{
    Petrol,
    Diesel,
    Hybrid,
    PluginHybrid,
    Electric,
    Lpg,
    Hydrogen,
    Other,
}

public enum Transmission
{
    Manual,
    Automatic,
}

public enum MileageUnit
{
    Kilometres,
    Miles,
}

public enum MileageSource
{
    Desk,
    Sale,
    ServiceVisit,
    Import,
    Other,
}
