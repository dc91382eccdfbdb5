using System.Net;

namespace AutoDeploy.Agent;

/// <summary>The server could not be reached, did not answer in time, or answered 5xx: worth retrying later.</summary>
public sealed class ServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The server is not the one the agent trusts (its certificate failed verification or does not match the pinned one),
/// or may not be used (plain http:// to another host): nothing was sent, and retrying cannot help.
/// </summary>
public sealed class ServerNotTrustedException(string message) : Exception(message);

/// <summary>The server answered with a status the agent cannot carry on from (4xx), with its problem details.</summary>
public class AgentRequestException(HttpStatusCode status, ServerProblem? problem, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public ServerProblem? Problem { get; } = problem;
}

/// <summary>401 on a call made with the agent's token: the machine was deregistered or its token revoked.</summary>
public sealed class TokenRefusedException(ServerProblem? problem, string message)
    : AgentRequestException(HttpStatusCode.Unauthorized, problem, message)
{
    public const string Explanation =
        "The server refused this agent's token: the machine was deregistered or its token revoked. Register again.";
}

/// <summary>RFC 7807 problem details as the server sends them (<c>errors</c> for validation problems).</summary>
public sealed record ServerProblem(string? Title, string? Detail, Dictionary<string, string[]>? Errors)
{
    /// <summary>Every message in the problem: each validation error, else the detail or title.</summary>
    public IEnumerable<string> Messages()
    {
        var errors = (Errors ?? []).SelectMany(e => e.Value.Select(m => string.IsNullOrEmpty(e.Key) ? m : $"{e.Key}: {m}")).ToList();
        if (errors.Count > 0)
        {
            return errors;
        }
        return new[] { Detail, Title }.Where(m => !string.IsNullOrWhiteSpace(m)).Take(1)!;
    }
}
