using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Account;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>The interactive circuit's authentication state is revalidated against the database every minute.</summary>
public sealed class CircuitRevalidationTests(AccountWebFactory factory) : IClassFixture<AccountWebFactory>
{
    [Fact]
    public void AuthenticationStateProvider_IsTheRevalidatingOne()
    {
        using var scope = factory.Services.CreateScope();

        Assert.IsType<CrmRevalidatingAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
    }

    [Fact]
    public async Task Revalidation_StampChanged_CircuitLosesUser()
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<CrmUser>>();
        var provider = (CrmRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var user = (await users.FindByEmailAsync("service@newstar.demo"))!;
        var principal = await signIn.CreateAsync(user);
        Assert.True(await provider.IsStillValidAsync(principal));

        await users.UpdateSecurityStampAsync(user);

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    [Fact]
    public async Task Revalidation_AccountExpiresDuringCircuit_CircuitLosesUser()
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<CrmUser>>();
        var provider = (CrmRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var user = (await users.FindByEmailAsync("agency@pennine.demo"))!;
        var principal = await signIn.CreateAsync(user);
        Assert.True(await provider.IsStillValidAsync(principal));

        user.ExpiresAt = factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(1);
        await users.UpdateAsync(user);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await provider.IsStillValidAsync(principal));
    }
}
