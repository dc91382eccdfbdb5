using AngleSharp.Dom;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineDialogTests : MachineComponentContext
{
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    [Fact]
    public async Task An_empty_name_shows_the_validator_message_beside_Name_and_saves_nothing()
    {
        var machine = await AddMachineAsync("web-01");
        var (dialog, _) = await OpenAsync(machine.Id);

        Field(dialog, "Name").Input("");
        await Button(dialog, "Save").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal("Name is required.", ErrorBeside(dialog, "Name")));
        Assert.Equal("web-01", (await Machines.GetAsync(machine.Id))!.Name);
    }

    [Fact]
    public async Task A_taken_name_shows_the_conflict_beside_Name()
    {
        await AddMachineAsync("db-01");
        var machine = await AddMachineAsync("web-01");
        var (dialog, _) = await OpenAsync(machine.Id);

        Field(dialog, "Name").Input("DB-01");
        await Button(dialog, "Save").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal("A machine named 'DB-01' already exists.", ErrorBeside(dialog, "Name")));
    }

    [Fact]
    public async Task A_stale_save_says_so_and_keeps_the_input()
    {
        var machine = await AddMachineAsync("web-01");
        var (dialog, _) = await OpenAsync(machine.Id);
        await Machines.SetEnabledAsync(machine.Id, enabled: false);

        Field(dialog, "Name").Input("web-01-mine");
        await Button(dialog, "Save").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.StartsWith("Someone else changed this machine", dialog.Find("[role='alert']").TextContent.Trim()));
        Assert.Equal("web-01-mine", Field(dialog, "Name").GetAttribute("value"));
        Assert.Equal("web-01", (await Machines.GetAsync(machine.Id))!.Name);
    }

    [Fact]
    public async Task An_invalid_role_shows_the_validator_message_beside_the_role_field_and_is_not_added()
    {
        var machine = await AddMachineAsync("web-01", ["web"]);
        var (dialog, _) = await OpenAsync(machine.Id);

        Field(dialog, "Add a role").Input("Worker Pool");
        await Button(dialog, "Add role").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Contains("'Worker Pool'", ErrorBeside(dialog, "Add a role")));
        Assert.Equal(["web"], Chips(dialog));
    }

    [Fact]
    public async Task Adding_a_role_and_saving_closes_and_records_MachineDeploymentRelatedPropertyWasUpdated()
    {
        var machine = await AddMachineAsync("web-01", ["web"]);
        var (dialog, reference) = await OpenAsync(machine.Id);

        Field(dialog, "Add a role").Input("worker");
        await Button(dialog, "Add role").ClickAsync(new());
        dialog.WaitForAssertion(() => Assert.Equal(["web", "worker"], Chips(dialog)));
        await Button(dialog, "Save").ClickAsync(new());

        Assert.False((await reference.Result)!.Canceled);
        Assert.Equal(["web", "worker"], (await Machines.GetAsync(machine.Id))!.Roles);
        Assert.Equal(EventCategories.MachineDeploymentRelatedPropertyWasUpdated, (await Database.MachineEventCategoriesAsync(machine.Id)).Last());
    }

    [Fact]
    public async Task Closing_a_role_chip_removes_the_role()
    {
        var machine = await AddMachineAsync("web-01", ["web", "worker"]);
        var (dialog, reference) = await OpenAsync(machine.Id);

        await dialog.FindAll("[data-testid='machine-roles'] .mud-chip-container")
            .Single(c => c.TextContent.Trim() == "worker").QuerySelector("button.mud-chip-close-button")!.ClickAsync(new());
        dialog.WaitForAssertion(() => Assert.Equal(["web"], Chips(dialog)));
        await Button(dialog, "Save").ClickAsync(new());

        await reference.Result;
        Assert.Equal(["web"], (await Machines.GetAsync(machine.Id))!.Roles);
    }

    [Fact]
    public async Task Clearing_every_environment_shows_the_validator_message_beside_Environments()
    {
        var machine = await AddMachineAsync("web-01");
        var (dialog, _) = await OpenAsync(machine.Id);

        await dialog.FindAll(".mud-select .mud-input-control").Single(c => c.TextContent.Contains("Environments")).MouseDownAsync(new());
        dialog.WaitForAssertion(() => Assert.NotEmpty(_popovers!.FindAll(".mud-list-item")));
        await _popovers!.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Production").ClickAsync(new());
        await Button(dialog, "Save").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal("Choose at least one environment.", ErrorBeside(dialog, "Environments")));
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(int id)
    {
        _popovers = Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var machine = (await Machines.GetAsync(id))!;
        var parameters = new DialogParameters<MachineDialog> { { d => d.Machine, machine } };
        IDialogReference reference = null!;
        await provider.InvokeAsync(async () =>
            reference = await Services.GetRequiredService<IDialogService>().ShowAsync<MachineDialog>("Edit", parameters));
        provider.WaitForAssertion(() => Assert.Equal(machine.Name, Field(provider, "Name").GetAttribute("value")));
        return (provider, reference);
    }

    /// <summary>The input of the MudBlazor field with this label.</summary>
    private static IElement Field(IRenderedComponent<MudDialogProvider> dialog, string label) =>
        dialog.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label).QuerySelector("input")!;

    private static string ErrorBeside(IRenderedComponent<MudDialogProvider> dialog, string label) =>
        dialog.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private static List<string> Chips(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.FindAll("[data-testid='machine-roles'] .mud-chip").Select(c => c.TextContent.Trim()).ToList();
}
