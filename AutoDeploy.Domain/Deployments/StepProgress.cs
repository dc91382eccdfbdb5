using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Domain.Deployments;

/// <summary>
/// How far one step of a deployment has got, over the machines it runs on: <see cref="Running"/> (its job queued or
/// running), <see cref="Done"/> (its job ended), <see cref="Waiting"/> (still in the deployment, no job of the step yet)
/// and <see cref="NotStarted"/> (a rolling step stopped before starting them). A rolling step's <see cref="WindowSize"/>
/// is how many run at a time, so a page can show the window filling.
/// </summary>
public sealed record StepProgress(int Index, string Name, RollingWindow? Window, int? WindowSize, int Running, int Done, int Waiting, int NotStarted)
{
    public int Machines => Running + Done + Waiting + NotStarted;

    /// <summary>
    /// Each step's progress from the deployment's machines (with their roles now: a machine deleted since has none) and its
    /// jobs. A machine counts in a step when it has a job of the step, or has the step's roles and is still in the deployment
    /// (waiting), or a rolling step of that name never started it.
    /// </summary>
    public static IReadOnlyList<StepProgress> Of(IReadOnlyList<DeploymentStep> steps, IReadOnlyCollection<DeploymentTarget> targets,
        IReadOnlyDictionary<int, IReadOnlyList<string>> roles, IReadOnlyCollection<MachineJob> jobs)
    {
        var progress = new List<StepProgress>(steps.Count);
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            var ofStep = jobs.Where(j => j.StepIndex == index).ToList();
            var started = ofStep.Select(j => j.MachineId).ToHashSet();
            var unstarted = targets.Where(t => !started.Contains(t.MachineId)).ToList();
            var waiting = unstarted.Count(t => t.State is TargetState.Pending or TargetState.Running
                                               && roles.TryGetValue(t.MachineId, out var machineRoles) && step.AppliesTo(machineRoles));
            var notStarted = unstarted.Count(t => DeploymentOutcome.WasNotStartedIn(t.Reason, step.Name));
            var running = ofStep.Count(j => !j.IsFinished);
            var machines = ofStep.Count + waiting + notStarted;
            progress.Add(new StepProgress(index, step.Name, step.Window, step.Window?.For(machines), running, ofStep.Count - running, waiting, notStarted));
        }
        return progress;
    }
}
