using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Components.Pages.Environments;
using AutoDeploy.Web.Services;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Environments;

public sealed class EnvironmentDialogTests : EnvironmentComponentContext
{
    [Fact]
    public async Task An_empty_name_shows_the_validator_message_beside_Name_and_saves_nothing()
    {
        var (dialog, _) = await OpenAsync(null);

        Button(dialog, "Save").Click();

        dialog.WaitForAssertion(() => Assert.Equal("Name is required.", NameError(dialog)));
        Assert.Empty(await Environments.ListAsync());
    }

    [Fact]
    public async Task A_taken_name_shows_the_conflict_beside_Name()
    {
        await Database.AddEnvironmentAsync("Production");
        var (dialog, _) = await OpenAsync(null);

        dialog.Find("input").Input("production");
        Button(dialog, "Save").Click();

        dialog.WaitForAssertion(() => Assert.Equal("An environment named 'production' already exists.", NameError(dialog)));
    }

    [Fact]
    public async Task A_stale_save_shows_the_message_and_keeps_the_input()
    {
        var environment = await Database.AddEnvironmentAsync("Test");
        var loaded = (await Environments.GetAsync(environment.Id))!;
        var (dialog, _) = await OpenAsync(loaded);
        await Environments.UpdateAsync(environment.Id, new EnvironmentInput { Name = "Theirs" }, loaded.Version);

        dialog.Find("input").Input("Mine");
        Button(dialog, "Save").Click();

        dialog.WaitForAssertion(() => Assert.StartsWith("Someone else changed this environment", dialog.Find("[role='alert']").TextContent.Trim()));
        Assert.Equal("Mine", dialog.Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task Saving_a_change_closes_with_the_saved_environment()
    {
        var environment = await Database.AddEnvironmentAsync("Test");
        var (dialog, reference) = await OpenAsync((await Environments.GetAsync(environment.Id))!);

        dialog.Find("textarea").Input("Integration tests");
        Button(dialog, "Save").Click();

        var result = await reference.Result;
        Assert.Equal("Integration tests", Assert.IsType<EnvironmentSummary>(result!.Data).Description);
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(EnvironmentSummary? environment)
    {
        var provider = Render<MudDialogProvider>();
        var parameters = new DialogParameters<EnvironmentDialog> { { d => d.Environment, environment } };
        IDialogReference reference = null!;
        await provider.InvokeAsync(async () =>
            reference = await Services.GetRequiredService<IDialogService>().ShowAsync<EnvironmentDialog>("Environment", parameters));
        provider.WaitForElement("input");
        return (provider, reference);
    }

    /// <summary>The message beside Name: the element the input names in aria-describedby.</summary>
    private static string? NameError(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.Find("input").GetAttribute("aria-describedby") is { } id ? dialog.Find($"[id='{id}']").TextContent.Trim() : null;
}
