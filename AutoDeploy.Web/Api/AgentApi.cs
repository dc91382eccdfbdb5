using System.Security.Claims;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Packages;

namespace AutoDeploy.Web.Api;

/// <summary>
/// The endpoints agents call with their own token (see <see cref="AgentProtocol"/>). Their handlers run within the
/// <see cref="AgentWorkGate"/>: the poll's enters it for each of its reads, not while held; a package's file is sent
/// after the handler has returned, outside it.
/// </summary>
public static class AgentApi
{
    public static RouteGroupBuilder MapAgentApi(this RouteGroupBuilder api)
    {
        var agent = api.MapGroup("/agent").RequireAuthorization(AgentAuthenticationHandler.PolicyName).WithTags("Agent").ForFleet();

        agent.MapPost("/poll", async Task<IResult> (PollRequest request, ClaimsPrincipal user, HttpResponse response, JobDispatch dispatch,
            CancellationToken ct) =>
        {
            if (request.AgentVersionProblem() is { } problem)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentVersion"] = [problem] });
            }
            var answer = await dispatch.PollAsync(user.MachineId(), request, ct);
            if (answer.UpdateTo is { } version)
            {
                response.Headers[AgentProtocol.UpdateHeader] = version;
            }
            return answer.Job is { } job ? TypedResults.Ok(job) : TypedResults.NoContent();
        })
            .Produces<AgentJob>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .WithSummary("Long poll: the machine's next job, or 204 when none came within the poll's time; the X-AutoDeploy-Agent-Update header names a version to update to");

        agent.MapPost("/update-failed", async (AgentUpdateFailure failure, ClaimsPrincipal user, JobReports reports, CancellationToken ct) =>
        {
            await reports.ReportUpdateFailedAsync(user.MachineId(), failure, ct);
            return TypedResults.NoContent();
        })
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .WithSummary("The agent could not update itself to the version it was told; the machine shows why");

        agent.MapPost("/jobs/{id:long}/log", async Task<IResult> (long id, LogBatch batch, ClaimsPrincipal user, JobReports reports, CancellationToken ct) =>
            await reports.AppendLogAsync(user.MachineId(), id, batch, ct) is { } response
                ? TypedResults.Ok(response)
                : TypedResults.Problem($"Job {id} is not this machine's.", statusCode: StatusCodes.Status404NotFound))
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces<LogBatchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Appends a batch of a job's output lines; the answer says whether the job was canceled meanwhile");

        agent.MapPost("/jobs/{id:long}/complete", async Task<IResult> (long id, JobCompletion completion, ClaimsPrincipal user, JobReports reports, CancellationToken ct) =>
            completion.MessageProblem() is { } problem
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [problem] })
                : await reports.CompleteAsync(user.MachineId(), id, completion, ct)
                    ? TypedResults.NoContent()
                    : TypedResults.Problem($"Job {id} is not this machine's.", statusCode: StatusCodes.Status404NotFound))
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("How a job ended: its outcome, exit code and a message of at most 4,000 characters");

        // Not contact: wait-ready asks this while the agent that runs the jobs may not (a machine stays Unavailable if its agent is down).
        agent.MapGet("/readiness", async Task<IResult> (ClaimsPrincipal user, ReadinessLoader readiness, CancellationToken ct) =>
                await readiness.LoadAsync(user.MachineId(), ct) is { } answer
                    ? TypedResults.Ok(answer)
                    : TypedResults.Problem("This agent's machine no longer exists.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces<MachineReadiness>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Whether this agent's machine has every release its triggers say it should: Ready, Waiting, Failed or Blocked, with the reasons");

        agent.MapGet("/packages/{packageId}/{version}", async Task<IResult> (string packageId, string version, ClaimsPrincipal user,
                HttpResponse response, PackageService packages, CancellationToken ct) =>
                await packages.MachineDeploysAsync(user.MachineId(), packageId, version, ct)
                    ? await PackagesApi.DownloadAsync(packageId, version, response, packages, ct)
                    : PackageService.NotFound(packageId, version).ToProblem())
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .WithSummary("A package a deployment to this agent's machine installs (404 for any other); Range requests resume a cut download");

        agent.MapDelete("/registration", async (ClaimsPrincipal user, JobReports reports, CancellationToken ct) =>
        {
            await reports.DeregisterAsync(user.MachineId(), ct);
            return TypedResults.NoContent();
        })
            .AddEndpointFilter<AgentWorkFilter>()
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("The agent leaves: its machine is deleted and its token refused from now on (MachineDeleted)");
        return api;
    }
}
