using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Deployments;
using AutoDeploy.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Deployments;

public sealed class DeploymentProgressTests : MudBunitContext
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Started.AddSeconds(5));

    public DeploymentProgressTests()
    {
        Services.AddSingleton<TimeProvider>(_time);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void A_running_deployment_counts_finished_machines_and_leaves_skipped_ones_out()
    {
        var progress = Render(Summary(completed: null), TargetState.Success, TargetState.Failed, TargetState.Running, TargetState.Skipped);

        Assert.Equal("2 / 3 machines done", progress.Find("[data-testid='progress']").TextContent.Trim());
        Assert.NotNull(progress.Find("[data-testid='progress-bar']"));
    }

    [Fact]
    public void The_running_duration_ticks_every_second()
    {
        var progress = Render(Summary(completed: null), TargetState.Running);
        Assert.Equal("0:05", progress.Find("[data-testid='duration']").TextContent);

        _time.Advance(TimeSpan.FromSeconds(2));

        progress.WaitForAssertion(() => Assert.Equal("0:07", progress.Find("[data-testid='duration']").TextContent));
    }

    [Fact]
    public void A_finished_deployment_shows_how_long_it_ran_without_a_bar()
    {
        var progress = Render(Summary(completed: Started.AddMinutes(2)), TargetState.Success);

        Assert.Matches(@"ran for\s+2:00", progress.Find(".mud-typography").TextContent);
        Assert.Empty(progress.FindAll("[data-testid='progress-bar']"));
    }

    [Fact]
    public void A_rolling_step_shows_its_window_filling_and_a_step_without_a_window_shows_nothing()
    {
        var steps = new List<StepProgress>
        {
            new(0, "Migrate", null, null, 1, 0, 0, 0),
            new(1, "Deploy", RollingWindow.Count(3), 3, 3, 4, 3, 0),
        };

        var progress = Render<DeploymentProgress>(p => p
            .Add(c => c.Deployment, Summary(completed: null)).Add(c => c.Machines, []).Add(c => c.Steps, steps));

        var step = Assert.Single(progress.FindAll("[data-testid='rolling-step']"));
        Assert.Equal("Deploy", step.GetAttribute("data-step"));
        Assert.Equal("3 running · 4 done · 3 waiting (window 3)", step.QuerySelector("[data-testid='rolling-counts']")!.TextContent);
        Assert.Equal("3", step.QuerySelector("[data-testid='rolling-bar']")!.GetAttribute("data-running"));
    }

    [Fact]
    public void A_percentage_window_and_machines_not_started_are_spelled_out()
    {
        var counts = RollingSteps.Counts(new StepProgress(0, "Deploy", RollingWindow.Percent(10), 5, 0, 4, 0, 46));

        Assert.Equal("0 running · 4 done · 0 waiting · 46 not started (window 5, 10%)", counts);
    }

    private IRenderedComponent<DeploymentProgress> Render(DeploymentSummary summary, params TargetState[] targets) =>
        Render<DeploymentProgress>(p => p
            .Add(c => c.Deployment, summary)
            .Add(c => c.Machines, targets.Select((state, i) => new TargetResult(i + 1, $"web-{i}", state, null, [])).ToList()));

    private static DeploymentSummary Summary(DateTimeOffset? completed) => new(
        7, 1, "Shop", 3, "1.0.0", 2, "Test", completed is null ? DeploymentState.Executing : DeploymentState.Success,
        Started.AddSeconds(-1), Started, completed, "alice@example.com", false, null);
}
