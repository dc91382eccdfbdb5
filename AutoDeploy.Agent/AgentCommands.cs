namespace AutoDeploy.Agent;

/// <summary>The agent's command line: parses the arguments and runs register, run or deregister.</summary>
public static class AgentCommands
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (CommandLineException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("Run 'AutoDeploy.Agent --help' for the commands and their options.");
            return 1;
        }
        if (commandLine.HelpRequested)
        {
            output.WriteLine(CommandLine.Usage);
            return 0;
        }

        // Each call sets its own timeout (the long poll needs more than the default 100 s allows for others).
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            return commandLine.Command switch
            {
                "register" => await RegisterCommand.RunAsync(commandLine, http, output, error, ct),
                "run" => await RunAsync(commandLine, http, output, error, ct),
                _ => await DeregisterAsync(commandLine, http, output, error, ct),
            };
        }
        catch (InvalidDataException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(CommandLine args, HttpClient http, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var settings = Registration(args.Home, error);
        if (settings is null)
        {
            return 1;
        }
        return await new AgentRunner(settings, http, TimeProvider.System, output).RunAsync(ct);
    }

    private static async Task<int> DeregisterAsync(CommandLine args, HttpClient http, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var settings = Registration(args.Home, error);
        if (settings is null)
        {
            return 1;
        }
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
            AgentSettings.Delete(args.Home);
            error.WriteLine(TokenRefusedException.Explanation);
            error.WriteLine($"Removed the local registration {AgentSettings.PathIn(args.Home)}.");
            return AgentRunner.TokenRefusedExitCode;
        }
        catch (AgentRequestException e)
        {
            error.WriteLine($"The server refused to deregister machine '{settings.Name}': {e.Message}.");
            return 1;
        }
        AgentSettings.Delete(args.Home);
        output.WriteLine($"Deregistered machine '{settings.Name}' (id {settings.MachineId}) from {settings.Server}.");
        return 0;
    }

    private static AgentSettings? Registration(string home, TextWriter error)
    {
        var settings = AgentSettings.Load(home);
        if (settings is null)
        {
            error.WriteLine($"This agent is not registered: there is no {AgentSettings.PathIn(home)}. "
                + "Run 'AutoDeploy.Agent register' first (with the same --home).");
        }
        return settings;
    }
}
