using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Tests.Deployments;

public sealed class DeploymentOutcomeTests
{
    [Fact]
    public void Judge_with_every_machine_succeeded_or_skipped_is_Success_without_a_reason()
    {
        var outcome = DeploymentOutcome.Judge(false, [Target("web-01", TargetState.Success), Target("web-02", TargetState.Skipped)]);

        Assert.Equal((DeploymentState.Success, null), outcome);
    }

    [Fact]
    public void Judge_after_a_cancel_request_is_Canceled_whatever_the_machines_did()
    {
        var outcome = DeploymentOutcome.Judge(true, [Target("web-01", TargetState.Success)]);

        Assert.Equal((DeploymentState.Canceled, "canceled by request"), outcome);
    }

    [Fact]
    public void Judge_with_a_failed_machine_is_Failed_naming_it_and_counting_the_machines_not_skipped()
    {
        var outcome = DeploymentOutcome.Judge(false,
        [
            Target("web-01", TargetState.Success), Target("web-02", TargetState.Failed, "Step 'Install': exit code 1"),
            Target("web-03", TargetState.TimedOut, "Step 'Install': timed out"), Target("web-04", TargetState.Skipped),
        ]);

        Assert.Equal((DeploymentState.Failed,
            "2 of 3 machine(s) did not succeed (1 failed, 1 timed out): web-02: Step 'Install': exit code 1; web-03: Step 'Install': timed out"),
            outcome);
    }

    [Fact]
    public void Judge_with_a_thousand_failed_machines_summarizes_within_its_column()
    {
        var targets = Enumerable.Range(1, 1000)
            .Select(i => Target($"web-{i:0000}", i % 10 == 0 ? TargetState.Failed : TargetState.TimedOut, new string('x', 5000)))
            .ToList();

        var (state, reason) = DeploymentOutcome.Judge(false, targets);

        Assert.Equal(DeploymentState.Failed, state);
        Assert.StartsWith("1000 of 1000 machine(s) did not succeed (900 timed out, 100 failed): web-0001: xxx", reason);
        Assert.Matches(@"; and \d+ more \(each machine's reason is on the deployment\)$", reason);
        Assert.InRange(reason!.Length, 1, 2000);
    }

    [Fact]
    public void Judge_when_every_machine_that_did_not_succeed_timed_out_is_TimedOut()
    {
        var outcome = DeploymentOutcome.Judge(false, [Target("web-01", TargetState.TimedOut, "late"), Target("web-02", TargetState.Success)]);

        Assert.Equal((DeploymentState.TimedOut, "1 of 2 machine(s) did not succeed: web-01: late"), outcome);
    }

    [Fact]
    public void Judge_counts_a_canceled_machine_as_not_succeeded()
    {
        var (state, _) = DeploymentOutcome.Judge(false, [Target("web-01", TargetState.Canceled, "stopped")]);

        Assert.Equal(DeploymentState.Failed, state);
    }

    [Theory]
    [InlineData(JobState.Succeeded, null)]
    [InlineData(JobState.Failed, TargetState.Failed)]
    [InlineData(JobState.TimedOut, TargetState.TimedOut)]
    [InlineData(JobState.Canceled, TargetState.Canceled)]
    public void TargetStateAfter_an_ended_job_stops_the_machine_unless_it_succeeded(JobState job, TargetState? expected)
    {
        var state = DeploymentOutcome.TargetStateAfter(job);

        Assert.Equal(expected, state);
    }

    [Theory]
    [InlineData(true, TargetState.Skipped)]
    [InlineData(false, TargetState.Failed)]
    public void A_lost_machine_is_skipped_when_the_project_may_skip_it_and_failed_else(bool maySkip, TargetState expected)
    {
        Assert.Equal(expected, DeploymentOutcome.TargetStateAfter(JobState.Lost, maySkip));
    }

    [Fact]
    public void Skipped_machines_do_not_fail_the_deployment_and_are_its_warning()
    {
        var targets = new[] { Target("web-01", TargetState.Success), Target("web-02", TargetState.Skipped, "Skipped: lost during step 'Install'") };

        Assert.Equal((DeploymentState.Success, (string?)null), DeploymentOutcome.Judge(false, targets));
        Assert.Equal("1 machine(s) skipped: web-02: Skipped: lost during step 'Install'", DeploymentOutcome.Warn(targets));
        Assert.Null(DeploymentOutcome.Warn([Target("web-01", TargetState.Success)]));
    }

    [Theory]
    [InlineData(JobState.Pending)]
    [InlineData(JobState.Running)]
    public void TargetStateAfter_a_job_that_has_not_ended_is_refused(JobState job)
    {
        var refused = Record.Exception(() => DeploymentOutcome.TargetStateAfter(job));

        Assert.IsType<ArgumentOutOfRangeException>(refused);
    }

    private static DeploymentTarget Target(string machine, TargetState state, string? reason = null) =>
        new() { MachineName = machine, State = state, Reason = reason };
}
