using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Tests.Deployments;

public sealed class StepProgressTests
{
    private static readonly DeploymentStep Deploy = new() { Name = "Deploy", Roles = ["web"], Window = RollingWindow.Count(3) };
    private static readonly DeploymentStep Migrate = new() { Name = "Migrate", Roles = ["db"] };

    [Fact]
    public void A_rolling_step_counts_its_machines_running_done_and_waiting_with_its_window()
    {
        var targets = Enumerable.Range(1, 10).Select(i => Target(i, TargetState.Running)).ToList();
        var jobs = Jobs(0, (1, JobState.Succeeded), (2, JobState.Failed), (3, JobState.Succeeded), (4, JobState.Succeeded),
            (5, JobState.Running), (6, JobState.Running), (7, JobState.Pending));

        var step = Assert.Single(StepProgress.Of([Deploy], targets, Roles(10, "web"), jobs));

        Assert.Equal((3, 4, 3, 0, 3, 10), (step.Running, step.Done, step.Waiting, step.NotStarted, step.WindowSize, step.Machines));
    }

    [Fact]
    public void Machines_a_roll_never_started_count_as_not_started_and_in_the_window_size()
    {
        var step = Deploy with { Window = RollingWindow.Percent(50) };
        var targets = new List<DeploymentTarget>
        {
            Target(1, TargetState.Failed), Target(2, TargetState.Success),
            Target(3, TargetState.Skipped, DeploymentOutcome.NotStarted("Deploy", "the step stopped starting new machines after web-1 failed.")),
            Target(4, TargetState.Skipped, DeploymentOutcome.NotStarted("Other", "…")),
            Target(5, TargetState.Skipped, "Skipped: unavailable, and the project skips unavailable machines."),
        };

        var progress = Assert.Single(StepProgress.Of([step], targets, Roles(5, "web"), Jobs(0, (1, JobState.Failed), (2, JobState.Succeeded))));

        Assert.Equal((0, 2, 0, 1, 2), (progress.Running, progress.Done, progress.Waiting, progress.NotStarted, progress.WindowSize));
    }

    [Fact]
    public void A_step_counts_only_machines_with_its_roles_and_a_step_without_a_window_has_no_window_size()
    {
        var targets = new List<DeploymentTarget> { Target(1, TargetState.Running), Target(2, TargetState.Pending) };
        var roles = new Dictionary<int, IReadOnlyList<string>> { [1] = ["web"], [2] = ["db"] };

        var progress = StepProgress.Of([Deploy, Migrate], targets, roles, Jobs(0, (1, JobState.Running)));

        Assert.Equal((1, 0, 1, (int?)1), (progress[0].Running, progress[0].Waiting, progress[0].Machines, progress[0].WindowSize));
        Assert.Equal((0, 1, (int?)null), (progress[1].Running, progress[1].Waiting, progress[1].WindowSize));
    }

    [Fact]
    public void The_not_started_reason_names_the_step_it_belongs_to()
    {
        var reason = DeploymentOutcome.NotStarted("Deploy", "the step stopped starting new machines after web-2 failed.");

        Assert.Equal("Not started in step 'Deploy': the step stopped starting new machines after web-2 failed.", reason);
        Assert.True(DeploymentOutcome.WasNotStartedIn(reason, "Deploy"));
        Assert.False(DeploymentOutcome.WasNotStartedIn(reason, "Dep"));
        Assert.False(DeploymentOutcome.WasNotStartedIn(null, "Deploy"));
    }

    private static DeploymentTarget Target(int machineId, TargetState state, string? reason = null) =>
        new() { DeploymentId = 1, MachineId = machineId, MachineName = $"web-{machineId}", State = state, Reason = reason };

    private static Dictionary<int, IReadOnlyList<string>> Roles(int machines, string role) =>
        Enumerable.Range(1, machines).ToDictionary(i => i, IReadOnlyList<string> (_) => [role]);

    private static List<MachineJob> Jobs(int stepIndex, params (int MachineId, JobState State)[] jobs) =>
        jobs.Select(j => new MachineJob { DeploymentId = 1, StepIndex = stepIndex, MachineId = j.MachineId, State = j.State }).ToList();
}
