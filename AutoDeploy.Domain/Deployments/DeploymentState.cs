namespace AutoDeploy.Domain.Deployments;

public enum DeploymentState
{
    Queued,
    Executing,
    Success,
    Failed,
    Canceled,
    TimedOut,
}

public static class DeploymentStates
{
    public static bool IsFinished(this DeploymentState state) => state is not (DeploymentState.Queued or DeploymentState.Executing);
}
