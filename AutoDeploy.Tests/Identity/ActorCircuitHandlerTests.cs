using System.Security.Claims;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutoDeploy.Tests.Identity;

public sealed class ActorCircuitHandlerTests
{
    [Fact]
    public async Task Circuit_activity_acts_as_the_signed_in_user()
    {
        var handler = new ActorCircuitHandler(new FixedAuthentication(new ClaimsIdentity([new Claim(ClaimTypes.Name, "jane@autodeploy.test")], "Test")));
        string? actor = null;
        var activity = handler.CreateInboundActivityHandler(_ =>
        {
            actor = ActorContext.Current;
            return Task.CompletedTask;
        });

        await activity(null!);

        Assert.Equal("jane@autodeploy.test", actor);
    }

    [Fact]
    public async Task Circuit_activity_without_a_user_acts_as_the_system()
    {
        var handler = new ActorCircuitHandler(new FixedAuthentication(new ClaimsIdentity()));
        string? actor = null;
        var activity = handler.CreateInboundActivityHandler(_ =>
        {
            actor = ActorContext.Current;
            return Task.CompletedTask;
        });

        await activity(null!);

        Assert.Equal(ActorContext.System, actor);
    }

    private sealed class FixedAuthentication(ClaimsIdentity identity) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity)));
    }
}
