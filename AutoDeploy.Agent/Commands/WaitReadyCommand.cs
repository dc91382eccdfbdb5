using System.CommandLine;

namespace AutoDeploy.Agent.Commands;

/// <summary>
/// <c>wait-ready</c>: blocks until the server says this machine has every release its triggers say it should, for
/// cloud-init, a load balancer or an auto-scaling lifecycle hook (see <see cref="ReadinessWaiter"/>).
/// </summary>
public sealed class WaitReadyCommand : Command
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private readonly Option<string> home = AgentOptions.Home();
    private readonly Option<string> timeout = AgentOptions.Text("--timeout", "DURATION",
        "How long to wait: 90s, 10m, 1h or plain seconds (default: 10m)");

    public WaitReadyCommand()
        : base("wait-ready", "Waits until every trigger that matches this machine has deployed the release it should have; "
            + "exits 0 when ready, 5 when a deployment failed, 6 when the engine blocked, 7 at the timeout")
    {
        Options.Add(home);
        Options.Add(timeout);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken ct)
    {
        var (output, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        var limit = DefaultTimeout;
        if (parseResult.GetValue(timeout) is { } text && !Timeouts.TryParse(text, out limit))
        {
            error.WriteLine($"--timeout must be a duration such as 90s, 10m, 1h or plain seconds (not '{text}').");
            return ExitCodes.Failed;
        }
        if (AgentCommands.Connect(parseResult.HomeFolder(home), error, out var exitCode) is not ({ } settings, { } http))
        {
            return exitCode;
        }
        using (http)
        {
            var client = new AgentClient(http, settings.Server, settings.Token);
            output.WriteLine($"Waiting up to {Timeouts.Format(limit)} for machine '{settings.Name}' (id {settings.MachineId}) to be ready on {settings.Server}.");
            return await new ReadinessWaiter(client, TimeProvider.System, output, error).WaitAsync(limit, ct);
        }
    }
}
