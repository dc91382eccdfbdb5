using AutoDeploy.Web.Components.Pages.Profile;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Identity;

public sealed class ApiKeysPanelTests : IdentityBunitContext
{
    private UserSummary _user = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await CreateUserAsync(Roles.Deployer);
        SignInAs(_user);
    }

    [Fact]
    public void A_new_key_is_shown_once_in_full_and_listed_by_its_prefix()
    {
        var cut = Render<ApiKeysPanel>(p => p.Add(x => x.UserId, _user.Id));

        cut.Find("input[data-testid=api-key-name]").Input("CI pipeline");
        Button(cut, "Create key").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("API-", cut.Find("[data-testid=new-api-key-value]").TextContent));
        var secret = cut.Find("[data-testid=new-api-key-value]").TextContent;
        var row = cut.Find("[data-testid=api-keys] tbody tr").TextContent;
        Assert.Contains("CI pipeline", row);
        Assert.Contains(secret[..8], row);
        Assert.DoesNotContain(secret, row);
    }

    [Fact]
    public async Task The_key_is_stored_only_as_a_hash()
    {
        var cut = Render<ApiKeysPanel>(p => p.Add(x => x.UserId, _user.Id));
        cut.Find("input[data-testid=api-key-name]").Input("Script");

        Button(cut, "Create key").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=new-api-key-value]"));
        var secret = cut.Find("[data-testid=new-api-key-value]").TextContent;
        await using var db = Database.CreateDbContext();
        var stored = db.ApiKeys.Single();
        Assert.Equal(ApiKey.HashOf(secret), stored.KeyHash);
        Assert.NotEqual(secret, stored.KeyHash);
    }

    [Fact]
    public void A_key_without_a_name_is_refused_with_a_message_beside_the_field()
    {
        var cut = Render<ApiKeysPanel>(p => p.Add(x => x.UserId, _user.Id));

        Button(cut, "Create key").Click();

        cut.WaitForAssertion(() => Assert.Contains("Name the key", cut.Find("input[data-testid=api-key-name]").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=new-api-key-value]"));
    }

    [Fact]
    public async Task Revoking_a_key_marks_it_revoked()
    {
        var created = await Services.GetRequiredService<ApiKeyService>().CreateAsync(_user.Id, "Old key");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ApiKeysPanel>(p => p.Add(x => x.UserId, _user.Id));

        cut.WaitForAssertion(() => Button(cut, "Revoke").Click());
        dialogs.WaitForAssertion(() => Button(dialogs, "Revoke").Click());

        cut.WaitForAssertion(() => Assert.Contains("Revoked", cut.Find("[data-testid=api-keys] tbody tr").TextContent));
        var keys = await Services.GetRequiredService<ApiKeyService>().ListAsync(_user.Id);
        Assert.True(keys.Single(k => k.Id == created.Value!.Key.Id).IsRevoked);
    }

    private static AngleSharp.Dom.IElement Button<T>(IRenderedComponent<T> cut, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
