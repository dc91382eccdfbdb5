using AngleSharp.Dom;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using AutoDeploy.Web.Services;
using Bunit;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Enrolment;

public sealed class EnrolmentTokensPageTests : MachineComponentContext
{
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private EnrolmentTokenService Tokens => Services.GetRequiredService<EnrolmentTokenService>();

    public override async Task InitializeAsync()
    {
        // Before the base context: it resolves services (so no more can be added) once it has set up its own.
        Services.AddSingleton<IValidator<EnrolmentTokenInput>, EnrolmentTokenInputValidator>();
        await base.InitializeAsync();
    }

    [Fact]
    public async Task The_list_shows_each_token_s_hint_scope_uses_and_state()
    {
        var created = await Tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [Production.Id], [Policy.Id], ["web", "api"], maxUses: 3));

        var page = RenderPage();

        // Every column but the roles (chips) and the expiry.
        page.WaitForAssertion(() => Assert.Equal(
            ["web fleet", $"{created.Secret[..10]}…", "Production", "Default Machine Policy", "0 / 3", "never", "Active"],
            Cells(page).Where((_, i) => i is not (3 or 5)).Take(7)));
        Assert.Equal(["api", "web"], page.FindAll("[data-testid='enrolment-tokens'] .mud-chip").Select(c => c.TextContent.Trim()).Take(2));
        Assert.DoesNotContain(created.Secret, page.Markup);
    }

    [Fact]
    public async Task Creating_a_token_shows_its_secret_once_with_the_register_command()
    {
        var page = RenderPage();

        var creating = OpenCreateDialog(page);
        Field("Name").Input("web fleet");
        await PickAsync("Environments", "Production");
        await Button(_dialogs, "Create").ClickAsync(new());
        await creating;

        page.WaitForAssertion(() => Assert.StartsWith("ENROL-", page.Find("[data-testid='new-enrolment-token-secret']").TextContent));
        var secret = page.Find("[data-testid='new-enrolment-token-secret']").TextContent;
        var command = page.Find("[data-testid='new-enrolment-token-command']").TextContent;
        Assert.Contains($"--token {secret}", command);
        Assert.Contains("--environment Production", command);
        Assert.Equal(["Production"], (await Tokens.ListAsync()).Single().Environments.Select(e => e.Name));
        var again = Render<EnrolmentTokensPage>();
        again.WaitForAssertion(() => Assert.Equal("web fleet", Cells(again)[0]));
        Assert.DoesNotContain(secret, again.Markup);
    }

    [Fact]
    public async Task An_empty_name_and_no_environment_show_the_validator_s_messages_and_create_nothing()
    {
        var page = RenderPage();

        _ = OpenCreateDialog(page);
        await Button(_dialogs, "Create").ClickAsync(new());

        _dialogs.WaitForAssertion(() => Assert.Equal("Name is required.", ErrorBeside("Name")));
        Assert.Equal("Allow at least one environment.", ErrorBeside("Environments"));
        Assert.Empty(await Tokens.ListAsync());
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_shows_the_token_revoked()
    {
        await Tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [Production.Id], [Policy.Id]));
        var page = RenderPage();
        page.WaitForAssertion(() => Button(page, "Revoke web fleet"));

        // The click's handler waits for the confirmation, so it is awaited only after answering.
        var revoking = Button(page, "Revoke web fleet").ClickAsync(new());
        _dialogs.WaitForAssertion(() => Assert.Contains("Revoke \"web fleet\"", _dialogs.Markup));
        await Button(_dialogs, "Revoke").ClickAsync(new());
        await revoking;

        page.WaitForAssertion(() => Assert.StartsWith("Revoked", Cells(page)[8]));
        Assert.Equal(EnrolmentTokenState.Revoked, (await Tokens.ListAsync()).Single().State);
        Assert.Empty(Buttons(page, "Revoke web fleet"));
    }

    private IRenderedComponent<EnrolmentTokensPage> RenderPage()
    {
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        return Render<EnrolmentTokensPage>();
    }

    /// <summary>Opens the dialog; the click's handler waits for the dialog to close, so its task ends only then.</summary>
    private Task OpenCreateDialog(IRenderedComponent<EnrolmentTokensPage> page)
    {
        var clicking = Button(page, "Create token").ClickAsync(new());
        _dialogs.WaitForAssertion(() => Assert.NotNull(Field("Name")));
        return clicking;
    }

    private async Task PickAsync(string select, string option)
    {
        await _dialogs.FindAll(".mud-select .mud-input-control").Single(c => c.TextContent.Contains(select)).MouseDownAsync(new());
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_popovers.FindAll(".mud-list-item")));
        await _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).ClickAsync(new());
    }

    private static List<string> Cells(IRenderedComponent<EnrolmentTokensPage> page) =>
        page.FindAll("[data-testid='enrolment-tokens'] tbody td").Select(c => c.TextContent.Trim()).ToList();

    private IElement Field(string label) =>
        _dialogs.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label).QuerySelector("input")!;

    private string ErrorBeside(string label) =>
        _dialogs.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";
}
