using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.Feed;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Web.Components.Pages.Dashboard;
using Bunit;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Dashboard;

public sealed class DashboardPageTests : FeedComponentContext
{
    [Fact]
    public async Task A_new_installation_shows_getting_started_with_the_agent_command_for_its_environment()
    {
        await Database.AddEnvironmentAsync("Staging");

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='getting-started']")), Wait);
        Assert.Equal("true", page.Find("[data-testid='step-environment']").GetAttribute("data-done"));
        Assert.Equal("false", page.Find("[data-testid='step-machine']").GetAttribute("data-done"));
        var command = page.Find("[data-testid='agent-command']").TextContent;
        Assert.Contains("curl -fsSL http://localhost/install.sh | sudo bash -s -- --token ENROL-...", command);
        Assert.Contains("--environment \"Staging\" --role web --name-suffix random", command);
        Assert.Empty(page.FindAll(".dashboard-grid"));
    }

    [Fact]
    public async Task Each_cell_shows_the_latest_deployment_of_the_project_to_the_environment()
    {
        var test = await Database.AddEnvironmentAsync("Test");
        var production = await Database.AddEnvironmentAsync("Production", sortOrder: 1);
        var shop = await Database.AddProjectAsync("Shop");
        await Database.AddDeploymentAsync(shop, test, "1.0.0", DeploymentState.Success, TargetState.Success);
        await Database.AddDeploymentAsync(shop, test, "1.1.0", DeploymentState.Failed, TargetState.Failed);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".dashboard-grid")), Wait);
        var cell = page.Find("[data-cell='Shop|Test']");
        Assert.Equal("1.1.0", cell.QuerySelector("[data-testid='cell-release']")!.TextContent.Trim());
        Assert.Equal("Failed", cell.QuerySelector("[data-state]")!.GetAttribute("data-state"));
        Assert.Equal("last success: 1.0.0", cell.QuerySelector("[data-testid='cell-installed']")!.TextContent.Trim());
        Assert.NotNull(page.Find("[data-cell='Shop|Production'] [data-testid='cell-empty']"));
        Assert.Equal(["Test", "Production"], page.FindAll("th[data-environment]").Select(h => h.GetAttribute("data-environment")));
    }

    [Fact]
    public async Task A_running_deployment_shows_its_machines_done_out_of_all()
    {
        var test = await Database.AddEnvironmentAsync("Test");
        var shop = await Database.AddProjectAsync("Shop");
        await Database.AddDeploymentAsync(shop, test, "2.0.0", DeploymentState.Executing,
            TargetState.Success, TargetState.Running, TargetState.Pending, TargetState.Skipped);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("1 / 3 machines",
            page.Find("[data-cell='Shop|Test'] [data-testid='cell-progress']").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task An_event_from_the_feed_makes_the_dashboard_read_again()
    {
        var test = await Database.AddEnvironmentAsync("Test");
        var shop = await Database.AddProjectAsync("Shop");
        var page = Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-cell='Shop|Test'] [data-testid='cell-empty']")), Wait);
        var deployment = await Database.AddDeploymentAsync(shop, test, "3.0.0", DeploymentState.Success, TargetState.Success);

        await Feed.PublishAsync(Event(await LastEventIdAsync(), EventCategories.DeploymentSucceeded, deploymentId: deployment.Id));

        page.WaitForAssertion(() => Assert.Equal("3.0.0",
            page.Find("[data-cell='Shop|Test'] [data-testid='cell-release']").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task Environment_headers_count_their_machines_by_health()
    {
        var test = await Database.AddEnvironmentAsync("Test");
        var policy = await Database.AddPolicyAsync();
        await Database.AddMachineAsync("web-01", [test], policy, health: Domain.Machines.MachineHealthStatus.Healthy);
        await Database.AddMachineAsync("web-02", [test], policy, health: Domain.Machines.MachineHealthStatus.Healthy);
        await Database.AddMachineAsync("web-03", [test], policy, health: Domain.Machines.MachineHealthStatus.Unavailable);
        await Database.AddProjectAsync("Shop");

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal(["2 healthy", "1 unavailable"],
            page.FindAll("th[data-environment='Test'] [data-health]").Select(c => c.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task Disposing_the_page_ends_its_subscriptions()
    {
        Render<DashboardPage>();
        Assert.Equal(2, Feed.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, Feed.SubscriberCount);
    }
}
