using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Components.Pages.Environments;
using AutoDeploy.Web.Identity;
using Bunit;
using MudBlazor;

namespace AutoDeploy.Tests.Environments;

public sealed class EnvironmentsPageTests : EnvironmentComponentContext
{
    [Fact]
    public async Task Lists_the_environments_in_order_with_their_health_chips()
    {
        await Database.AddEnvironmentAsync("Development");
        var production = await Database.AddEnvironmentAsync("Production", "Live traffic");
        await Database.AddMachinesAsync(production.Id, MachineHealthStatus.Unavailable, count: 2);

        var page = Render<EnvironmentsPage>();

        page.WaitForAssertion(() => Assert.Equal(
            ["Development None", "Production Live traffic 2 unavailable"],
            page.FindAll("tbody tr").Select(row => string.Join(" ", row.QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()).Where(t => t.Length > 0)))));
    }

    [Fact]
    public async Task A_viewer_sees_no_edit_buttons()
    {
        await Database.AddEnvironmentAsync("Production");
        SignInAs(Roles.Viewer);

        var page = Render<EnvironmentsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public async Task An_administrator_adds_an_environment_through_the_dialog()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<EnvironmentsPage>();

        Button(page, "Add environment").Click();
        dialogs.WaitForElement("input").Input("Staging");
        Button(dialogs, "Save").Click();

        page.WaitForAssertion(() => Assert.Contains("Staging", page.Find("tbody").TextContent));
    }

    [Fact]
    public async Task Deleting_an_environment_with_machines_shows_the_refusal_and_keeps_the_row()
    {
        var production = await Database.AddEnvironmentAsync("Production");
        await Database.AddMachinesAsync(production.Id, MachineHealthStatus.Healthy, count: 3);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<EnvironmentsPage>();
        page.WaitForElement("button[aria-label='Delete Production']");

        Button(page, "Delete Production").Click();
        Button(dialogs, "Delete").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "Environment 'Production' has 3 deployment targets; move or delete them first.", page.Find("[role='alert']").TextContent.Trim()));
        Assert.Contains("Production", page.Find("tbody").TextContent);
    }

    [Fact]
    public async Task Deleting_an_empty_environment_after_confirming_removes_the_row()
    {
        await Database.AddEnvironmentAsync("Production");
        await Database.AddEnvironmentAsync("Scratch");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<EnvironmentsPage>();
        page.WaitForElement("button[aria-label='Delete Scratch']");

        Button(page, "Delete Scratch").Click();
        Button(dialogs, "Delete").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("Scratch", page.Find("tbody").TextContent));
    }

    [Fact]
    public async Task Moving_an_environment_down_reorders_the_rows()
    {
        await Database.AddEnvironmentAsync("Development");
        await Database.AddEnvironmentAsync("Test");
        var page = Render<EnvironmentsPage>();
        page.WaitForElement("button[aria-label='Move Development down']");

        Button(page, "Move Development down").Click();

        page.WaitForAssertion(() => Assert.Equal(["Test", "Development"], page.FindAll("tbody tr td:first-child").Select(td => td.TextContent.Trim())));
    }
}
