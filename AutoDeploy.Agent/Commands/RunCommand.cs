using System.CommandLine;

namespace AutoDeploy.Agent.Commands;

/// <summary><c>run</c>: the agent itself, polling the server for work until it is stopped.</summary>
public sealed class RunCommand : Command
{
    private readonly Option<string> home = AgentOptions.Home();

    public RunCommand()
        : base("run", "Polls the server for work and runs it until stopped by Ctrl+C or SIGTERM (run it as a service)")
    {
        Options.Add(home);
        SetAction(async (parseResult, ct) =>
        {
            if (AgentCommands.Connect(parseResult.HomeFolder(home), parseResult.InvocationConfiguration.Error, out var exitCode)
                is not ({ } settings, { } http))
            {
                return exitCode;
            }
            using (http)
            {
                return await new AgentRunner(settings, http, TimeProvider.System, parseResult.InvocationConfiguration.Output).RunAsync(ct);
            }
        });
    }
}
