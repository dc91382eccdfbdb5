namespace AutoDeploy.Agent;

/// <summary>The agent's exit codes, as its help and README document them.</summary>
public static class ExitCodes
{
    /// <summary>Done, or <c>run</c> stopped by Ctrl+C or SIGTERM.</summary>
    public const int Done = 0;

    /// <summary>Bad or missing arguments, no registration, or a request the server refused or could not answer.</summary>
    public const int Failed = 1;

    /// <summary>The server refused this agent's token (the machine was deregistered or its token revoked): register again.</summary>
    public const int TokenRefused = 2;

    /// <summary>The agent does not trust the server: plain http:// to another host without --insecure, or a certificate that failed verification or the pin.</summary>
    public const int ServerNotTrusted = 3;

    /// <summary>
    /// <c>register</c>: the server refused the enrolment token (unknown, expired, used up or revoked: 401), or the
    /// registration is outside the environments, roles or policies it allows (403); the server's reason is printed.
    /// </summary>
    public const int EnrolmentTokenRefused = 4;

    /// <summary><c>wait-ready</c>: a deployment of a release the machine should have failed on it.</summary>
    public const int DeploymentFailed = 5;

    /// <summary><c>wait-ready</c>: the engine blocked a release for the machine after its retries.</summary>
    public const int DeploymentBlocked = 6;

    /// <summary><c>wait-ready</c>: the machine was not ready within the timeout.</summary>
    public const int NotReadyInTime = 7;
}
