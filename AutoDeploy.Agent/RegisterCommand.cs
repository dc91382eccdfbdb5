using System.Net;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Agent;

/// <summary><c>register</c>: registers this machine with the server and keeps its token in the agent's home.</summary>
public static class RegisterCommand
{
    public static async Task<int> RunAsync(CommandLine args, HttpClient http, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var home = args.Home;
        var existing = AgentSettings.Load(home);
        if (existing is not null && !args.Flag("force"))
        {
            error.WriteLine($"{AgentSettings.PathIn(home)} already holds the registration of machine '{existing.Name}' "
                + $"(id {existing.MachineId}) on {existing.Server}. Deregister it first, add --force to replace it, "
                + "or choose another --home.");
            return 1;
        }
        var server = args.Value("server")!;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error.WriteLine($"--server must be an http:// or https:// URL, such as https://deploy.example.com (not '{server}').");
            return 1;
        }
        var apiKey = args.Value("api-key") ?? Environment.GetEnvironmentVariable("AUTODEPLOY_API_KEY");
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            error.WriteLine("'register' needs --api-key (or the AUTODEPLOY_API_KEY environment variable).");
            return 1;
        }

        var request = new RegistrationRequest
        {
            Name = args.Value("name")!,
            Environments = [.. args.Values("environment")],
            Roles = [.. args.Values("role")],
            Policy = args.Value("policy"),
            AgentVersion = AgentProtocol.Version,
        };
        RegistrationResponse registered;
        try
        {
            registered = await new AgentClient(http, server).RegisterAsync(apiKey, request, ct);
        }
        catch (ServerUnavailableException e)
        {
            error.WriteLine($"Cannot reach the server at {server}: {e.Message}.");
            return 1;
        }
        catch (AgentRequestException e)
        {
            PrintRefusal(e, request.Name, error);
            return 1;
        }

        new AgentSettings(server, registered.MachineId, request.Name, registered.Token).Save(home);
        output.WriteLine($"Registered machine '{request.Name}' with id {registered.MachineId} on {server}.");
        if (existing is not null)
        {
            output.WriteLine($"This replaces machine '{existing.Name}' (id {existing.MachineId}), which stays on its server until deleted there.");
        }
        var homeArgument = args.Value("home") is null ? "" : $" --home {home}";
        output.WriteLine($"Its token is kept in {AgentSettings.PathIn(home)}. Start the agent with: AutoDeploy.Agent run{homeArgument}");
        return 0;
    }

    private static void PrintRefusal(AgentRequestException e, string name, TextWriter error)
    {
        var messages = e.Problem?.Messages().ToList() ?? [];
        error.WriteLine(e.Status switch
        {
            HttpStatusCode.BadRequest => "The server refused the registration:",
            HttpStatusCode.Unauthorized => "The server refused the API key: check --api-key.",
            HttpStatusCode.Forbidden => "The server refused the API key: its user may not register machines.",
            HttpStatusCode.Conflict => $"The name '{name}' is taken: a machine of that name is already registered. Choose another --name.",
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
