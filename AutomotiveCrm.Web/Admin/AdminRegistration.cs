namespace AutomotiveCrm.Web.Admin;

public static class AdminRegistration
{
    /// <summary>The administration screens' services.</summary>
    public static IServiceCollection AddCrmAdministration(this IServiceCollection services)
    {
        services.AddScoped<UserAdminService>();
        return services;
    }
}
