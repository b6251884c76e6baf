namespace AutomotiveCrm.Web.Wholesale;

/// <summary>Log lines of the wholesale screens.</summary>
internal static partial class WholesaleLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Wholesale customer {WholesaleId} requested by user {UserId} was not found or is not visible")]
    public static partial void NotFound(ILogger logger, string userId, long wholesaleId);
}
