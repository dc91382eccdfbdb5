using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Workers;

namespace AutoDeploy.Tests.Workers;

public sealed class JobSupervisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TaskOptions Options = new();
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_running_job_whose_agent_went_silent_finds_its_machine_lost()
    {
        var job = Running(lastContact: Now - Options.AgentLostAfter - TimeSpan.FromSeconds(1));

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options);

        Assert.Equal(JobState.Lost, job.State);
        Assert.Contains("stopped responding", job.Message);
    }

    [Fact]
    public void A_running_job_heard_from_recently_is_left_alone()
    {
        var job = Running(lastContact: Now - Options.AgentLostAfter);

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options);

        Assert.Equal(JobState.Running, job.State);
    }

    [Fact]
    public void A_job_past_its_timeout_and_the_grace_times_out()
    {
        var job = Running(lastContact: Now, started: Now - StepTimeout - Options.TimeoutGrace - TimeSpan.FromSeconds(1));

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options);

        Assert.Equal(JobState.TimedOut, job.State);
    }

    [Fact]
    public void Cancel_ends_a_pending_job_and_asks_a_running_one_to_stop()
    {
        var pending = new MachineJob { State = JobState.Pending, CreatedAt = Now };
        var running = Running(lastContact: Now);

        JobSupervision.Supervise(pending, cancel: true, StepTimeout, Now, Options);
        JobSupervision.Supervise(running, cancel: true, StepTimeout, Now, Options);

        Assert.Equal(JobState.Canceled, pending.State);
        Assert.Equal((JobState.Running, true), (running.State, running.CancelRequested));
    }

    [Fact]
    public void A_job_no_agent_picked_up_in_time_finds_its_machine_lost()
    {
        var job = new MachineJob { State = JobState.Pending, CreatedAt = Now - Options.PickupTimeout - TimeSpan.FromSeconds(1) };

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options);

        Assert.Equal(JobState.Lost, job.State);
        Assert.Contains("did not pick up", job.Message);
    }

    [Fact]
    public void A_silence_that_was_this_node_s_own_stall_does_not_fail_the_job()
    {
        var job = Running(lastContact: Now - Options.AgentLostAfter - TimeSpan.FromSeconds(5));

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options, stalled: TimeSpan.FromSeconds(10));

        Assert.Equal(JobState.Running, job.State);
    }

    [Fact]
    public void A_job_waiting_for_pickup_while_this_node_stalled_gets_its_full_pickup_time()
    {
        var job = new MachineJob { State = JobState.Pending, CreatedAt = Now - Options.PickupTimeout - TimeSpan.FromSeconds(1) };

        JobSupervision.Supervise(job, cancel: false, StepTimeout, Now, Options, stalled: TimeSpan.FromSeconds(2));

        Assert.Equal(JobState.Pending, job.State);
    }

    private static MachineJob Running(DateTimeOffset lastContact, DateTimeOffset? started = null) =>
        new() { State = JobState.Running, CreatedAt = Now, StartedAt = started ?? Now, LastContactAt = lastContact };
}
