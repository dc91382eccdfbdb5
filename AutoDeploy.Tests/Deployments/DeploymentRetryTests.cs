using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;

namespace AutoDeploy.Tests.Deployments;

public sealed class DeploymentRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly Project _project = Project.Create("Shop", null);
    private readonly DeploymentEnvironment _environment = DeploymentEnvironment.Create("Production", null, 0);
    private readonly Release _release;

    public DeploymentRetryTests()
    {
        _project.Id = 3;
        _environment.Id = 4;
        _release = Release.Create(_project, new SemanticVersion(1, 4, 2, null, null), null, Now);
        _release.Id = 7;
    }

    [Fact]
    public void Plan_takes_the_machines_that_failed_or_timed_out_and_none_that_succeeded_were_skipped_or_canceled()
    {
        var deployment = Finished(DeploymentState.Failed);
        var targets = Targets(deployment, (1, "web-01", TargetState.Success), (2, "web-02", TargetState.Failed), (3, "web-03", TargetState.Skipped),
            (4, "web-04", TargetState.TimedOut), (5, "web-05", TargetState.Canceled));

        var plan = DeploymentRetry.Plan(deployment, targets, Existing(1, 2, 3, 4, 5), []);

        Assert.True(plan.CanRetry);
        Assert.Equal([2, 4], plan.MachineIds);
        Assert.Empty(plan.Gone);
        Assert.Equal("web-02, web-04", plan.Describe());
    }

    [Fact]
    public void Plan_leaves_out_the_failed_machines_deleted_since_and_says_so()
    {
        var deployment = Finished(DeploymentState.Failed);
        var targets = Targets(deployment, (1, "web-01", TargetState.Failed), (2, "web-02", TargetState.Failed), (3, "web-03", TargetState.TimedOut));

        var plan = DeploymentRetry.Plan(deployment, targets, Existing(2), []);

        Assert.Equal([2], plan.MachineIds);
        Assert.Equal([1, 3], plan.Gone.Select(t => t.MachineId));
        Assert.Equal("web-02; web-01, web-03 no longer exist and are left out", plan.Describe());
    }

    [Fact]
    public void Plan_says_one_machine_left_out_in_the_singular()
    {
        var deployment = Finished(DeploymentState.Failed);
        var targets = Targets(deployment, (1, "web-01", TargetState.Failed), (2, "web-02", TargetState.Failed));

        var plan = DeploymentRetry.Plan(deployment, targets, Existing(2), []);

        Assert.Equal("web-02; web-01 no longer exists and is left out", plan.Describe());
    }

    [Theory]
    [InlineData(DeploymentState.Queued)]
    [InlineData(DeploymentState.Executing)]
    public void Plan_of_a_deployment_that_has_not_finished_is_refused(DeploymentState state)
    {
        var deployment = Deployment.Queue(_project, _release, _environment, [], "alice", null, Now);
        deployment.Id = 12;
        if (state == DeploymentState.Executing)
        {
            deployment.Start(Now);
        }

        var plan = DeploymentRetry.Plan(deployment, Targets(deployment, (1, "web-01", TargetState.Failed)), Existing(1), []);

        Assert.False(plan.CanRetry);
        Assert.Equal($"Deployment 12 has not finished ({state}); retry it once it has ended.", plan.Refusal);
        Assert.Empty(plan.Machines);
    }

    [Theory]
    [InlineData(DeploymentState.Success, TargetState.Success)]
    [InlineData(DeploymentState.Success, TargetState.Skipped)]
    [InlineData(DeploymentState.Canceled, TargetState.Canceled)]
    public void Plan_without_a_machine_that_failed_or_timed_out_is_refused(DeploymentState state, TargetState machine)
    {
        var deployment = Finished(state);

        var plan = DeploymentRetry.Plan(deployment, Targets(deployment, (1, "web-01", machine)), Existing(1), []);

        Assert.Equal("Deployment 12 has no machine that failed or timed out, so there is nothing to retry.", plan.Refusal);
    }

    [Fact]
    public void Plan_of_a_deployment_that_failed_before_choosing_any_machine_is_refused()
    {
        var deployment = Finished(DeploymentState.Failed);

        var plan = DeploymentRetry.Plan(deployment, [], Existing(), []);

        Assert.False(plan.CanRetry);
        Assert.Contains("nothing to retry", plan.Refusal);
    }

    [Fact]
    public void Plan_when_every_failed_machine_was_deleted_is_refused_naming_them()
    {
        var deployment = Finished(DeploymentState.Failed);
        var targets = Targets(deployment, (1, "web-01", TargetState.Failed), (2, "web-02", TargetState.Success), (3, "web-03", TargetState.TimedOut));

        var plan = DeploymentRetry.Plan(deployment, targets, Existing(2), []);

        Assert.Equal("The failed machines of deployment 12 no longer exist (web-01, web-03), so there is nothing to retry.", plan.Refusal);
    }

    [Fact]
    public void Plan_while_a_retry_of_the_deployment_has_not_finished_is_refused()
    {
        var deployment = Finished(DeploymentState.Failed);

        var plan = DeploymentRetry.Plan(deployment, Targets(deployment, (1, "web-01", TargetState.Failed)), Existing(1), [15]);

        Assert.Equal("Deployment 12 is already being retried by deployment 15; wait until that has ended.", plan.Refusal);
    }

    [Fact]
    public void QueueRetry_queues_the_same_release_to_the_same_environment_on_the_failed_machines_linked_to_the_first()
    {
        var first = Finished(DeploymentState.Failed);
        var plan = DeploymentRetry.Plan(first,
            Targets(first, (1, "web-01", TargetState.Success), (2, "web-02", TargetState.Failed), (3, "web-03", TargetState.Failed)), Existing(1, 2), []);

        var retry = Deployment.QueueRetry(plan, _project, _release, _environment, "bob", Now.AddMinutes(5));

        Assert.Equal((DeploymentState.Queued, 7, 4, 3), (retry.State, retry.ReleaseId, retry.EnvironmentId, retry.ProjectId));
        Assert.Equal([2], retry.ChosenMachineIds);
        Assert.Equal(12, retry.RetryOfDeploymentId);
        Assert.Equal(("bob", (int?)null, Now.AddMinutes(5)), (retry.QueuedBy, retry.TriggerId, retry.QueuedAt));
        var queued = Assert.Single(retry.DomainEvents);
        Assert.Equal(EventCategories.DeploymentQueued, queued.Category);
        Assert.Equal("Deploy Shop 1.4.2 to Production queued by bob as a retry of deployment 12 on its failed machines: " +
            "web-02; web-03 no longer exists and is left out", queued.Message);
        Assert.Equal((4, 3, 7), (queued.Links!.EnvironmentId, queued.Links.ProjectId, queued.Links.ReleaseId));
    }

    [Fact]
    public void QueueRetry_of_a_refused_plan_throws_its_refusal()
    {
        var first = Finished(DeploymentState.Success);
        var plan = DeploymentRetry.Plan(first, Targets(first, (1, "web-01", TargetState.Success)), Existing(1), []);

        var thrown = Assert.Throws<InvalidOperationException>(() => Deployment.QueueRetry(plan, _project, _release, _environment, "bob", Now));

        Assert.Equal(plan.Refusal, thrown.Message);
    }

    [Fact]
    public void QueueRetry_of_another_release_throws()
    {
        var first = Finished(DeploymentState.Failed);
        var plan = DeploymentRetry.Plan(first, Targets(first, (1, "web-01", TargetState.Failed)), Existing(1), []);
        var other = Release.Create(_project, new SemanticVersion(2, 0, 0, null, null), null, Now);
        other.Id = 8;

        Assert.Throws<ArgumentException>(() => Deployment.QueueRetry(plan, _project, other, _environment, "bob", Now));
    }

    /// <summary>Deployment 12 of the release, ended in <paramref name="state"/>, its events cleared.</summary>
    private Deployment Finished(DeploymentState state)
    {
        var deployment = Deployment.Queue(_project, _release, _environment, [], "alice", null, Now);
        deployment.Id = 12;
        deployment.Start(Now);
        deployment.Finish(state, state == DeploymentState.Success ? null : "machines did not succeed", Now);
        deployment.ClearDomainEvents();
        return deployment;
    }

    private static List<DeploymentTarget> Targets(Deployment deployment, params (int Id, string Name, TargetState State)[] machines) =>
        machines.Select(m => new DeploymentTarget { DeploymentId = deployment.Id, MachineId = m.Id, MachineName = m.Name, State = m.State }).ToList();

    private static HashSet<int> Existing(params int[] ids) => [.. ids];
}
