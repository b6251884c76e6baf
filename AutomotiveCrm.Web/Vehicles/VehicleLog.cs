namespace AutomotiveCrm.Web.Vehicles;

/// <summary>Log lines of the vehicle screens.</summary>
internal static partial class VehicleLog
{
    /// <summary>A vehicle id that is missing or belongs to no customer the user may see: possibly someone probing ids.</summary>
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Vehicle {VehicleId} requested by user {UserId} was not found or is not visible")]
    public static partial void NotFound(ILogger logger, string userId, long vehicleId);
}
