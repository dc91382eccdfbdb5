using AutoDeploy.Domain.Agents;
using AutoDeploy.Web.Agents;

namespace AutoDeploy.Web.Api;

/// <summary>
/// What a new machine needs before it has any credential: install.sh and the agent binaries, with their SHA-256.
/// Anonymous on purpose: they hold no secret (an enrolment token is what lets a machine in), and a machine booting
/// from user-data has nothing to sign in with.
/// </summary>
public static class InstallApi
{
    public static WebApplication MapInstallApi(this WebApplication app)
    {
        app.MapGet("/install.sh", (HttpRequest request, InstallScript script) =>
                TypedResults.Text(script.Render($"{request.Scheme}://{request.Host}{request.PathBase}", request.IsHttps), "text/x-shellscript"))
            .AllowAnonymous().WithTags("Install").WithName("GetInstallScript")
            .WithSummary("The agent installer for a new machine: curl -fsSL <server>/install.sh | sudo bash -s -- --token ...");

        app.MapGet($"/agents/{{runtime}}/{AgentBinary.FileName}", IResult (string runtime, HttpResponse response, AgentBinaries binaries) =>
            {
                if (binaries.Find(runtime) is not { } binary)
                {
                    return NoBinary(runtime, binaries);
                }
                response.Headers["X-Checksum-Sha256"] = binary.Sha256;
                return TypedResults.PhysicalFile(binaries.FileOf(runtime)!.FullName, "application/octet-stream", AgentBinary.FileName,
                    entityTag: new($"\"{binary.Sha256}\""), enableRangeProcessing: true);
            })
            .AllowAnonymous().WithTags("Install").WithName("GetAgentBinary")
            .WithSummary("The self-contained agent for linux-x64 or linux-arm64; its SHA-256 in X-Checksum-Sha256")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/agent-binaries", (AgentBinaries binaries) => TypedResults.Ok(binaries.All()))
            .AllowAnonymous().ForFleet().WithTags("Install").WithName("ListAgentBinaries")
            .WithSummary("The agent binaries this server serves: runtime, version, SHA-256, size and path");
        return app;
    }

    private static IResult NoBinary(string runtime, AgentBinaries binaries) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
            detail: !AgentBinaries.Runtimes.ContainsKey(runtime)
                ? $"There is no agent for '{runtime}'; there is one for {string.Join(" and ", AgentBinaries.Runtimes.Keys)}."
                : $"This server has no agent for {runtime}: it was built without agent binaries (dotnet build -p:AgentBinaries=false).");
}
