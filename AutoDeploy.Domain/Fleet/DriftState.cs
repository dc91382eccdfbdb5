namespace AutoDeploy.Domain.Fleet;

/// <summary>Where a machine stands against the release a project should have on it (fleet drift). Worse states come later.</summary>
public enum DriftState
{
    /// <summary>It has the release it should have.</summary>
    Current,

    /// <summary>A queued or running deployment of the project to its environment includes it.</summary>
    Pending,

    /// <summary>The engine waits: for a running deployment of the project to end, or to retry a failed auto-deployment.</summary>
    Waiting,

    /// <summary>It has another release or none, and nothing is queued for it.</summary>
    Behind,

    /// <summary>The engine gave up after its retries, or there is no release to deploy; someone should look.</summary>
    Blocked,

    /// <summary>No enabled trigger of the project applies to it, or no step of the project runs on its roles.</summary>
    NotCovered,
}

/// <summary>Why a release is the one a machine should have: the engine's own choice (<c>AutoDeployPlanner.ReleaseFor</c>).</summary>
public enum ReleaseSource
{
    /// <summary>The auto-deploy override of the project and environment pins it.</summary>
    Override,

    /// <summary>The release of the latest successful deployment of the project to the environment.</summary>
    LatestSuccessful,
}
