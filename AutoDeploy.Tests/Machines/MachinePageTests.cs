using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Machines;

public sealed class MachinePageTests : MachineComponentContext
{
    [Fact]
    public async Task Shows_the_machine_properties_and_its_recent_events()
    {
        var machine = await AddMachineAsync("web-01", ["web"], MachineHealthStatus.Healthy);

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("web-01", page.Find("h1").TextContent.Trim()));
        Assert.Contains("Production", page.Markup);
        Assert.Contains(Policy.Name, page.Markup);
        Assert.Equal("Enabled", page.Find("[data-testid='machine-enabled']").TextContent.Trim());
        Assert.Equal([EventCategories.MachineHealthy, EventCategories.MachineAdded],
            page.FindAll(".machine-events tbody tr").Select(r => r.GetAttribute("data-category")));
    }

    [Fact]
    public async Task An_administrator_sees_edit_disable_and_delete()
    {
        var machine = await AddMachineAsync("web-01");

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal(3, new[] { "Edit", "Disable", "Delete" }.Sum(name => Buttons(page, name).Count)));
    }

    [Fact]
    public async Task A_viewer_sees_no_buttons_that_change_the_machine()
    {
        var machine = await AddMachineAsync("web-01");
        SignInAs(Roles.Viewer);

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("web-01", page.Find("h1").TextContent.Trim()));
        Assert.Empty(new[] { "Edit", "Disable", "Delete" }.SelectMany(name => Buttons(page, name)));
    }

    [Fact]
    public async Task Disabling_shows_Disabled_and_the_MachineDisabled_event()
    {
        var machine = await AddMachineAsync("web-01");
        var page = RenderPage(machine.Id);
        page.WaitForAssertion(() => Button(page, "Disable"));

        await Button(page, "Disable").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Disabled", page.Find("[data-testid='machine-enabled']").TextContent.Trim()));
        Assert.Contains("mud-chip-color-default", page.Find("[data-testid='machine-enabled'] .mud-chip").ClassList);
        Assert.Equal(EventCategories.MachineDisabled, page.Find(".machine-events tbody tr").GetAttribute("data-category"));
        Assert.Single(Buttons(page, "Enable"));
    }

    [Fact]
    public async Task Deleting_after_confirming_removes_the_machine_and_goes_back_to_the_list()
    {
        var machine = await AddMachineAsync("web-01");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(machine.Id);
        page.WaitForAssertion(() => Button(page, "Delete"));

        // The click's handler waits for the confirmation, so it is awaited only after answering.
        var deleting = Button(page, "Delete").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Delete the machine 'web-01'?", dialogs.Markup));
        await Button(dialogs, "Delete").ClickAsync(new());
        await deleting;

        page.WaitForAssertion(() => Assert.EndsWith("/machines", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.Null(await Machines.GetAsync(machine.Id));
    }

    [Fact]
    public async Task Cancelling_the_delete_keeps_the_machine()
    {
        var machine = await AddMachineAsync("web-01");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(machine.Id);
        page.WaitForAssertion(() => Button(page, "Delete"));

        var deleting = Button(page, "Delete").ClickAsync(new());
        dialogs.WaitForAssertion(() => Button(dialogs, "Cancel"));
        await Button(dialogs, "Cancel").ClickAsync(new());
        await deleting;

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete the machine", dialogs.Markup));
        Assert.NotNull(await Machines.GetAsync(machine.Id));
    }

    [Fact]
    public void An_unknown_machine_says_it_was_not_found()
    {
        var page = RenderPage(404);

        page.WaitForAssertion(() => Assert.Contains("Machine 404 was not found", page.Find("[role='alert']").TextContent));
    }

    private IRenderedComponent<MachinePage> RenderPage(int id)
    {
        Render<MudPopoverProvider>();
        return Render<MachinePage>(p => p.Add(c => c.Id, id));
    }
}
