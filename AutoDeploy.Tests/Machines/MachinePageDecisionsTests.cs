using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Components.Pages.Machines;
using AutoDeploy.Web.Engine;
using Bunit;

namespace AutoDeploy.Tests.Machines;

public sealed class MachinePageDecisionsTests : MachineComponentContext
{
    [Fact]
    public async Task Shows_each_decision_with_its_reason_kind_and_links()
    {
        var machine = await AddMachineAsync("web-01", ["web"], MachineHealthStatus.Healthy);
        await AddDecisionAsync(machine.Id, EventCategories.AutoDeployTriggered, "Queued", "1.0.0 queued: #812 matched trigger 'Web servers'.", 7);
        await AddDecisionAsync(machine.Id, EventCategories.AutoDeployNoAction, "AlreadyInstalled", "web-01 already has 1.0.0.", null);

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".auto-deploy-decisions tbody tr").Count));
        var rows = page.FindAll(".auto-deploy-decisions tbody tr");
        Assert.Equal(["AlreadyInstalled", "Queued"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Contains("Already installed", rows[0].TextContent);
        Assert.DoesNotContain("Blocked", rows[0].TextContent);
        Assert.Equal("1.0.0 queued: #812 matched trigger 'Web servers'.", rows[1].QuerySelector(".decision-reason")!.TextContent.Trim());
        Assert.NotNull(rows[1].QuerySelector("a[href='/deployments/7']"));
        Assert.NotNull(rows[1].QuerySelector("a[href='/triggers/3']"));
    }

    [Fact]
    public async Task A_machine_without_decisions_says_so()
    {
        var machine = await AddMachineAsync("web-01");

        var page = RenderPage(machine.Id);

        page.WaitForAssertion(() => Assert.Equal("No auto-deploy decisions for this machine yet.",
            page.Find("[data-testid='no-decisions']").TextContent.Trim()));
    }

    private async Task AddDecisionAsync(int machineId, string category, string kind, string reason, int? deploymentId)
    {
        await using var db = Database.CreateDbContext();
        db.Events.Add(new Event
        {
            Category = category, Actor = "auto-deploy", Message = reason, OccurredAt = DateTimeOffset.UtcNow,
            MachineId = machineId, EnvironmentId = Production.Id, TriggerId = 3, DeploymentId = deploymentId,
            DetailsJson = JsonSerializer.Serialize(new DecisionDetails(kind, machineId, 3, Production.Id, 1, deploymentId, [812]), DecisionDetails.Json),
        });
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<MachinePage> RenderPage(int id)
    {
        Render<MudBlazor.MudPopoverProvider>();
        return Render<MachinePage>(p => p.Add(c => c.Id, id));
    }
}
