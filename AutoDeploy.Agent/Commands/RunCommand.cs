using System.CommandLine;

namespace AutoDeploy.Agent.Commands;

/// <summary><c>run</c>: the agent itself, polling the server for work until it is stopped.</summary>
public sealed class RunCommand : Command
{
    private readonly Option<string> home = AgentOptions.Home();

    private readonly Option<string> appsFolder =
        AgentOptions.Text("--apps-folder", "DIR", "Where packages are extracted, as <project>/<package>/<version> (default: apps in the home folder)");

    private readonly Option<bool> deregisterOnStop = new("--deregister-on-stop")
    {
        Description = "When stopped by Ctrl+C or SIGTERM, deregister the machine (throwaway and spot instances leave at once, "
            + "instead of after their policy's unavailable limit)",
    };

    public RunCommand()
        : base("run", "Polls the server for work and runs it until stopped by Ctrl+C or SIGTERM (run it as a service)")
    {
        Options.Add(home);
        Options.Add(appsFolder);
        Options.Add(deregisterOnStop);
        SetAction(async (parseResult, ct) =>
        {
            var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var homeFolder = parseResult.HomeFolder(home);
            if (AgentCommands.Connect(homeFolder, error, out var exitCode) is not ({ } settings, { } http))
            {
                return exitCode;
            }
            using (http)
            {
                var folders = new AgentRunnerOptions
                {
                    PackageCacheFolder = Path.Combine(homeFolder, "packages"),
                    AppsFolder = Path.GetFullPath(parseResult.GetValue(appsFolder) ?? Path.Combine(homeFolder, "apps")),
                };
                exitCode = await new AgentRunner(settings, http, TimeProvider.System, output, folders).RunAsync(ct);
                if (exitCode != ExitCodes.Done || !ct.IsCancellationRequested || !parseResult.GetValue(deregisterOnStop))
                {
                    return exitCode;
                }
                // Stopped: the running script (if any) has been killed and reported; the machine leaves now.
                using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                return await DeregisterCommand.DeregisterAsync(homeFolder, settings, http, output, error, goodbye.Token);
            }
        });
    }
}
