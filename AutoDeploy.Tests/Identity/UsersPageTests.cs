using AngleSharp.Dom;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Users;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Identity;

public sealed class UsersPageTests : IdentityBunitContext
{
    private UserSummary _admin = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _admin = await CreateUserAsync(Roles.Administrator, "admin@autodeploy.test");
        SignInAs(_admin);
    }

    [Fact]
    public async Task Lists_every_user_with_their_role()
    {
        var viewer = await CreateUserAsync(Roles.Viewer);

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=users] tbody tr").Count));
        Assert.Equal(Roles.Viewer, RoleShownFor(cut, viewer.Email));
        Assert.Equal(Roles.Administrator, RoleShownFor(cut, _admin.Email));
    }

    [Fact]
    public void Adding_a_user_lists_them_with_the_chosen_role()
    {
        var cut = Render<UsersPage>();

        cut.Find("[data-testid=new-user] input[type=email]").Input("dora@autodeploy.test");
        cut.Find("[data-testid=new-user] input[type=password]").Input("Dora-Passw0rd!");
        RoleRadio(cut, Roles.Deployer).Click();
        Button(cut, "Add user").Click();

        cut.WaitForAssertion(() => Assert.Equal(Roles.Deployer, RoleShownFor(cut, "dora@autodeploy.test")));
    }

    [Fact]
    public void A_missing_email_is_reported_beside_the_field()
    {
        var cut = Render<UsersPage>();

        cut.Find("[data-testid=new-user] input[type=password]").Input("Dora-Passw0rd!");
        Button(cut, "Add user").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enter the user's email address.", FieldOf(cut, "email").TextContent));
        Assert.Single(cut.FindAll("[data-testid=users] tbody tr"));
    }

    [Fact]
    public void Identity_s_password_rules_are_reported_beside_the_password()
    {
        var cut = Render<UsersPage>();

        cut.Find("[data-testid=new-user] input[type=email]").Input("weak@autodeploy.test");
        cut.Find("[data-testid=new-user] input[type=password]").Input("weakpassword");
        Button(cut, "Add user").Click();

        cut.WaitForAssertion(() => Assert.Contains("at least one digit", FieldOf(cut, "password").TextContent));
    }

    [Fact]
    public void You_can_neither_delete_yourself_nor_change_your_own_role()
    {
        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.True(DeleteButton(cut, _admin.Email).HasAttribute("disabled")));
        Assert.NotNull(Row(cut, _admin.Email).QuerySelector(".mud-disabled"));
    }

    [Fact]
    public async Task Deleting_a_user_after_confirming_removes_them()
    {
        var viewer = await CreateUserAsync(Roles.Viewer);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => DeleteButton(cut, viewer.Email).Click());
        dialogs.WaitForAssertion(() => Button(dialogs, "Delete").Click());

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=users] tbody tr")));
        Assert.DoesNotContain(viewer.Id, (await Services.GetRequiredService<UserService>().ListAsync()).Select(u => u.Id));
    }

    [Fact]
    public async Task Disabling_a_user_marks_them_disabled_and_enabling_them_clears_it()
    {
        var viewer = await CreateUserAsync(Roles.Viewer);
        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Row(cut, viewer.Email).QuerySelector($"button[aria-label='Disable {viewer.Email}']")!.Click());
        cut.WaitForAssertion(() => Assert.NotNull(Row(cut, viewer.Email).QuerySelector("[data-testid=disabled]")));
        Assert.True((await Services.GetRequiredService<UserService>().ListAsync()).Single(u => u.Id == viewer.Id).Disabled);

        cut.WaitForAssertion(() => Row(cut, viewer.Email).QuerySelector($"button[aria-label='Enable {viewer.Email}']")!.Click());
        cut.WaitForAssertion(() => Assert.Null(Row(cut, viewer.Email).QuerySelector("[data-testid=disabled]")));
        Assert.Null(Row(cut, _admin.Email).QuerySelector($"button[aria-label='Disable {_admin.Email}']:not([disabled])"));
    }

    [Fact]
    public async Task Choosing_another_role_changes_the_user_s_role()
    {
        var viewer = await CreateUserAsync(Roles.Viewer);
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Row(cut, viewer.Email).QuerySelector(".mud-select .mud-input-control")!.MouseDown());
        popovers.WaitForAssertion(() => popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == Roles.Deployer).Click());

        cut.WaitForAssertion(() => Assert.Equal(Roles.Deployer, RoleShownFor(cut, viewer.Email)));
        // The select shows the choice at once; the save behind it finishes a moment later.
        await Eventually.TrueAsync(async () =>
            (await Services.GetRequiredService<UserService>().ListAsync()).Single(u => u.Id == viewer.Id).Role == Roles.Deployer);
    }

    private static IElement Row<T>(IRenderedComponent<T> cut, string email) where T : IComponent =>
        cut.FindAll("[data-testid=users] tbody tr").Single(r => r.TextContent.Contains(email));

    private static string? RoleShownFor<T>(IRenderedComponent<T> cut, string email) where T : IComponent =>
        Row(cut, email).QuerySelector("input")?.GetAttribute("value");

    private static IElement DeleteButton<T>(IRenderedComponent<T> cut, string email) where T : IComponent =>
        Row(cut, email).QuerySelector($"button[aria-label='Delete {email}']")!;

    private static IElement RoleRadio<T>(IRenderedComponent<T> cut, string role) where T : IComponent =>
        cut.FindAll("[data-testid=new-user] label.mud-radio").Single(l => l.TextContent.Contains(role)).QuerySelector("input")!;

    /// <summary>The whole form control of a field: its input and the message beside it.</summary>
    private static IElement FieldOf<T>(IRenderedComponent<T> cut, string inputType) where T : IComponent =>
        cut.Find($"[data-testid=new-user] input[type={inputType}]").Closest(".mud-input-control")!;

    private static IElement Button<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
