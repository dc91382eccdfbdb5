using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using Bunit;
using AutoDeploy.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace AutoDeploy.Tests.Machines;

public sealed class MachinesPageTests : MachineComponentContext
{
    [Fact]
    public async Task Lists_each_machine_with_a_link_its_environments_roles_and_health()
    {
        var machine = await AddMachineAsync("web-01", ["web", "api"], MachineHealthStatus.Healthy);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Equal($"/machines/{machine.Id}", page.Find("tbody a").GetAttribute("href"));
        Assert.Equal("web-01", page.Find("tbody a").TextContent.Trim());
        Assert.Contains("Production", page.Find("td[data-label='Environments']").TextContent);
        Assert.Equal(["api", "web"], page.FindAll("td[data-label='Roles'] .mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal("Healthy", page.Find("[data-health]").GetAttribute("data-health"));
    }

    [Fact]
    public void With_no_machines_it_explains_agent_registration()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("POST \"$AUTODEPLOY_URL/api/machines/register\"", page.Find("[data-testid='machines-empty']").TextContent));
        Assert.Empty(page.FindAll("table"));
    }

    [Fact]
    public async Task Searching_reloads_the_list_with_matching_names_only()
    {
        await AddMachineAsync("web-01");
        await AddMachineAsync("db-01");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        page.Find("input").Input("DB");

        PassDebounceInterval(page, () => Assert.Equal(["db-01"], page.FindAll("tbody a").Select(a => a.TextContent.Trim())));
    }

    [Fact]
    public async Task Pages_on_the_server_and_shows_the_total()
    {
        for (var i = 1; i <= 27; i++)
        {
            await AddMachineAsync($"m-{i:00}");
        }

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr").Count));
        Assert.Equal("1–25 of 27", page.Find("[data-testid='machines-pager-range']").TextContent.Trim());

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(["m-26", "m-27"], page.FindAll("tbody a").Select(a => a.TextContent.Trim())));
        Assert.Equal("26–27 of 27", page.Find("[data-testid='machines-pager-range']").TextContent.Trim());
        Assert.True(page.Find("button[aria-label='Next page']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_says_so()
    {
        await AddMachineAsync("web-01");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));

        page.Find("input").Input("nothing-like-this");

        PassDebounceInterval(page, () => Assert.Contains("No deployment targets match these filters.", page.Markup));
    }

    // MudBlazor's debounce runs on the TimeProvider from DI, here the database's FakeTimeProvider.
    private void PassDebounceInterval(IRenderedComponent<MachinesPage> page, Action assertion) =>
        ((FakeTimeProvider)Database.Time).AdvanceUntil(TimeSpan.FromMilliseconds(300), page, assertion);

    private IRenderedComponent<MachinesPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<MachinesPage>();
    }
}
