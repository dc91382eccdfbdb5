using System.CommandLine;
using System.Net;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Agent.Commands;

/// <summary><c>register</c>: registers this machine with the server and keeps its token in the agent's home.</summary>
public sealed class RegisterCommand : Command
{
    private readonly Option<string> server =
        AgentOptions.Text("--server", "URL", "The AutoDeploy server, for example https://deploy.example.com", required: true);
    private readonly Option<string> apiKey =
        AgentOptions.Text("--api-key", "KEY", "An API key allowed to register machines (or set AUTODEPLOY_API_KEY)");
    private readonly Option<string> name = AgentOptions.Text("--name", "NAME", "This machine's name on the server", required: true);
    private readonly Option<string[]> environments =
        AgentOptions.Repeatable("--environment", "ENV", "An environment the machine belongs to (repeat for several)", required: true);
    private readonly Option<string[]> roles =
        AgentOptions.Repeatable("--role", "ROLE", "A role of the machine, such as web or worker (repeat for several)");
    private readonly Option<string> policy =
        AgentOptions.Text("--policy", "NAME", "Its machine policy (default: the server's default policy)");
    private readonly Option<string> home = AgentOptions.Home();
    private readonly Option<bool> force = new("--force") { Description = "Replace an existing registration in that home" };

    public RegisterCommand(HttpClient http)
        : base("register", "Registers this machine with the server once, keeping its token in the agent's home")
    {
        foreach (var option in new Option[] { server, apiKey, name, environments, roles, policy, home, force })
        {
            Options.Add(option);
        }
        SetAction((parseResult, ct) => RunAsync(parseResult, http, ct));
    }

    private async Task<int> RunAsync(ParseResult args, HttpClient http, CancellationToken ct)
    {
        var (output, error) = (args.InvocationConfiguration.Output, args.InvocationConfiguration.Error);
        var homeFolder = args.HomeFolder(home);
        var existing = AgentSettings.Load(homeFolder);
        if (existing is not null && !args.GetValue(force))
        {
            error.WriteLine($"{AgentSettings.PathIn(homeFolder)} already holds the registration of machine '{existing.Name}' "
                + $"(id {existing.MachineId}) on {existing.Server}. Deregister it first, add --force to replace it, "
                + "or choose another --home.");
            return 1;
        }
        var serverUrl = args.GetRequiredValue(server);
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error.WriteLine($"--server must be an http:// or https:// URL, such as https://deploy.example.com (not '{serverUrl}').");
            return 1;
        }
        var key = args.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("AUTODEPLOY_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            error.WriteLine("'register' needs --api-key (or the AUTODEPLOY_API_KEY environment variable).");
            return 1;
        }

        var request = new RegistrationRequest
        {
            Name = args.GetRequiredValue(name),
            Environments = [.. args.GetRequiredValue(environments)],
            Roles = [.. args.GetValue(roles) ?? []],
            Policy = args.GetValue(policy),
            AgentVersion = AgentProtocol.Version,
        };
        RegistrationResponse registered;
        try
        {
            registered = await new AgentClient(http, serverUrl).RegisterAsync(key, request, ct);
        }
        catch (ServerUnavailableException e)
        {
            error.WriteLine($"Cannot reach the server at {serverUrl}: {e.Message}.");
            return 1;
        }
        catch (AgentRequestException e)
        {
            PrintRefusal(e, request.Name, error);
            return 1;
        }

        new AgentSettings(serverUrl, registered.MachineId, request.Name, registered.Token).Save(homeFolder);
        output.WriteLine($"Registered machine '{request.Name}' with id {registered.MachineId} on {serverUrl}.");
        if (existing is not null)
        {
            output.WriteLine($"This replaces machine '{existing.Name}' (id {existing.MachineId}), which stays on its server until deleted there.");
        }
        var homeArgument = args.GetValue(home) is null ? "" : $" --home {homeFolder}";
        output.WriteLine($"Its token is kept in {AgentSettings.PathIn(homeFolder)}. Start the agent with: {AgentCommands.ProgramName} run{homeArgument}");
        return 0;
    }

    private static void PrintRefusal(AgentRequestException e, string machineName, TextWriter error)
    {
        var messages = e.Problem?.Messages().ToList() ?? [];
        error.WriteLine(e.Status switch
        {
            HttpStatusCode.BadRequest => "The server refused the registration:",
            HttpStatusCode.Unauthorized => "The server refused the API key: check --api-key.",
            HttpStatusCode.Forbidden => "The server refused the API key: its user may not register machines.",
            HttpStatusCode.Conflict => $"The name '{machineName}' is taken: a machine of that name is already registered. Choose another --name.",
            _ => $"The registration failed: {e.Message}.",
        });
        if (e.Status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
        {
            foreach (var message in messages)
            {
                error.WriteLine($"  {message}");
            }
        }
    }
}
