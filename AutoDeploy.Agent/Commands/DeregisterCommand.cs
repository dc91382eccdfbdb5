using System.CommandLine;

namespace AutoDeploy.Agent.Commands;

/// <summary><c>deregister</c>: removes the machine from the server and forgets the registration.</summary>
public sealed class DeregisterCommand : Command
{
    private readonly Option<string> home = AgentOptions.Home();

    public DeregisterCommand()
        : base("deregister", "Removes this machine from the server and forgets the registration")
    {
        Options.Add(home);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken ct)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        var homeFolder = parseResult.HomeFolder(home);
        if (AgentCommands.Connect(homeFolder, error, out var exitCode) is not ({ } settings, { } http))
        {
            return exitCode;
        }
        using (http)
        {
            return await DeregisterAsync(homeFolder, settings, http, output, error, ct);
        }
    }

    /// <summary>Deletes the machine on the server and the registration here; also what <c>run --deregister-on-stop</c> does.</summary>
    internal static async Task<int> DeregisterAsync(string homeFolder, AgentSettings settings, HttpClient http, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        try
        {
            await new AgentClient(http, settings.Server, settings.Token).DeregisterAsync(ct);
        }
        catch (ServerUnavailableException e)
        {
            error.WriteLine($"Cannot reach the server at {settings.Server}: {e.Message}. The registration is kept; try again.");
            return 1;
        }
        catch (TokenRefusedException)
        {
            AgentSettings.Delete(homeFolder);
            error.WriteLine(TokenRefusedException.Explanation);
            error.WriteLine($"Removed the local registration {AgentSettings.PathIn(homeFolder)}.");
            return ExitCodes.TokenRefused;
        }
        catch (ServerNotTrustedException e)
        {
            error.WriteLine($"{e.Message} The registration is kept.");
            return ExitCodes.ServerNotTrusted;
        }
        catch (AgentRequestException e)
        {
            error.WriteLine($"The server refused to deregister machine '{settings.Name}': {e.Message}.");
            return 1;
        }
        AgentSettings.Delete(homeFolder);
        output.WriteLine($"Deregistered machine '{settings.Name}' (id {settings.MachineId}) from {settings.Server}.");
        return 0;
    }
}
