using System.Net.Http.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Validation;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Deployments;

/// <summary>
/// What the server writes about a deployment is bounded however many machines it has. A step's start line named every
/// machine: 1,000 machines made a line longer than a log line's column, which PostgreSQL refused, failing the deployment
/// in the server (SQLite stored it).
/// </summary>
[Trait("Database", "App")]
public sealed class ManyMachinesLogTests
{
    [Fact]
    public async Task A_step_on_sixty_long_named_machines_names_twenty_and_counts_the_rest()
    {
        await using var app = new AutoDeployAppFactory();
        var api = app.CreateApiClient();
        var scenario = await new DeploymentScenario(app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        for (var i = 1; i <= 60; i++)
        {
            // 60 names of the longest length make 11,000 characters: more than a log line holds.
            await scenario.AddMachineAsync($"web-{i:D3}-{new string('x', NameRules.MaxLength - 8)}", "web");
        }

        var deployment = await api.DeployAsync(scenario);
        LogLineDto? started = null;
        await Eventually.TrueAsync(async () =>
        {
            var log = await api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json);
            started = log!.Lines.FirstOrDefault(l => l.Text.StartsWith("Step 1 'Install' on ", StringComparison.Ordinal));
            return started is not null;
        }, TimeSpan.FromSeconds(60), () => $"no step line in deployment {deployment.Id}'s log");

        Assert.EndsWith(" and 40 more.", started!.Text);
        Assert.Equal(StepRunner.MachinesNamed, started.Text.Split(", ").Length);
        Assert.True(started.Text.Length <= TaskLogLine.MaxLength);
        var details = await api.GetFromJsonAsync<DeploymentDetails>($"/api/deployments/{deployment.Id}", ProtocolAgent.Json);
        Assert.NotEqual(DeploymentState.Failed, details!.Deployment.State);
    }

    [Fact]
    public void A_server_line_is_cut_to_the_column_and_a_short_one_is_kept_whole()
    {
        Assert.Equal(TaskLogLine.MaxLength, TaskLogLine.Bound(new string('x', 3 * TaskLogLine.MaxLength)).Length);
        Assert.Equal("Step 1 'Install' on web-01.", TaskLogLine.Bound("Step 1 'Install' on web-01."));
    }

    [Fact]
    public void A_list_names_the_first_items_and_counts_the_rest()
    {
        Assert.Equal("a, b and 2 more", TextRules.List(["a", "b", "c", "d"], 2));
        Assert.Equal("a, b", TextRules.List(["a", "b"], 2));
        Assert.Equal("", TextRules.List([], 2));
    }
}
