using System.CommandLine;
using System.Net;
using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Agent.Commands;

/// <summary><c>register</c>: registers this machine with the server and keeps its token in the agent's home.</summary>
public sealed class RegisterCommand : Command
{
    private readonly Option<string> server =
        AgentOptions.Text("--server", "URL", "The AutoDeploy server, for example https://deploy.example.com", required: true);
    private readonly Option<string> token = AgentOptions.Text("--token", "TOKEN",
        "An enrolment token (ENROL-...) from the server's Deployment targets > Enrolment tokens (or set AUTODEPLOY_ENROLMENT_TOKEN)");
    private readonly Option<string> apiKey =
        AgentOptions.Text("--api-key", "KEY", "Instead of a token: an administrator's API key (or set AUTODEPLOY_API_KEY)");
    private readonly Option<string> name = AgentOptions.Text("--name", "NAME", "This machine's name on the server (default: the host name, lower-case)");
    private readonly Option<string> nameSuffix = AgentOptions.Text("--name-suffix", "instance-id|random",
        "Tell clones of one image apart: append '-' and the cloud instance id (cloud-init's " + MachineNames.CloudInitInstanceIdFile +
        ") or 6 random characters to the name");
    private readonly Option<string[]> environments =
        AgentOptions.Repeatable("--environment", "ENV", "An environment the machine belongs to (repeat for several)", required: true);
    private readonly Option<string[]> roles =
        AgentOptions.Repeatable("--role", "ROLE", "A role of the machine, such as web or worker (repeat for several)");
    private readonly Option<string> policy =
        AgentOptions.Text("--policy", "NAME", "Its machine policy (default: the server's default policy)");
    private readonly Option<string> home = AgentOptions.Home();
    private readonly Option<bool> force = new("--force") { Description = "Replace an existing registration in that home" };
    private readonly Option<string> thumbprint = AgentOptions.Text("--server-thumbprint", "SHA256",
        "Trust exactly the server certificate with this SHA-256 thumbprint (shown on the server's Getting started panel), self-signed too");
    private readonly Option<bool> insecure = new("--insecure") { Description = "Allow plain http:// to a server that is not on this machine" };
    private readonly Option<string> format = new Option<string>("--output")
    {
        HelpName = "text|json",
        Description = "json: print the result as one JSON object for scripts (machineId, name, server, settingsFile; never the token)",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong("text", "json");

    public RegisterCommand()
        : base("register", "Registers this machine with the server once, keeping its token in the agent's home")
    {
        foreach (var option in new Option[] { server, token, apiKey, name, nameSuffix, environments, roles, policy, home, force, thumbprint, insecure, format })
        {
            Options.Add(option);
        }
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult args, CancellationToken ct)
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
        var pin = args.GetValue(thumbprint) is { } text ? ServerTrust.ParseThumbprint(text) : null;
        if (args.GetValue(thumbprint) is { } given && pin is null)
        {
            error.WriteLine($"--server-thumbprint must be a SHA-256 thumbprint: 64 hex digits, colons allowed (not '{given}').");
            return 1;
        }
        var trust = new ServerTrust(uri, pin, args.GetValue(insecure));
        if (trust.Refusal is { } refusal)
        {
            error.WriteLine(refusal);
            return ExitCodes.ServerNotTrusted;
        }
        if (args.GetValue(token) is not null && args.GetValue(apiKey) is not null)
        {
            error.WriteLine("Give --token or --api-key, not both.");
            return 1;
        }
        var credential = Credential(args);
        if (credential is null)
        {
            error.WriteLine($"'register' needs --token (or the {TokenVariable} environment variable) or an administrator's --api-key (or {ApiKeyVariable}).");
            return 1;
        }
        var (machineName, nameError) = MachineNames.Compose(args.GetValue(name) ?? MachineNames.HostName(), args.GetValue(nameSuffix),
            MachineNames.ReadInstanceId);
        if (nameError is not null)
        {
            error.WriteLine(nameError);
            return 1;
        }

        var request = new RegistrationRequest
        {
            Name = machineName!,
            Environments = [.. args.GetRequiredValue(environments)],
            Roles = [.. args.GetValue(roles) ?? []],
            Policy = args.GetValue(policy),
            AgentVersion = AgentProtocol.Version,
        };
        RegistrationResponse registered;
        using var http = trust.CreateClient();
        try
        {
            registered = await new AgentClient(http, serverUrl).RegisterAsync(credential, request, ct);
        }
        catch (ServerNotTrustedException e)
        {
            error.WriteLine($"{e.Message} Nothing was sent.");
            return ExitCodes.ServerNotTrusted;
        }
        catch (ServerUnavailableException e)
        {
            error.WriteLine($"Cannot reach the server at {serverUrl}: {e.Message}.");
            return 1;
        }
        catch (AgentRequestException e) when (credential.IsEnrolmentToken && e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            error.WriteLine(e.Status == HttpStatusCode.Unauthorized
                ? "The server refused the enrolment token:"
                : "The server refused the registration: it is outside what the enrolment token allows.");
            foreach (var message in e.Problem?.Messages() ?? [e.Message])
            {
                error.WriteLine($"  {message}");
            }
            return ExitCodes.EnrolmentTokenRefused;
        }
        catch (AgentRequestException e)
        {
            PrintRefusal(e, request.Name, error);
            return 1;
        }

        new AgentSettings(serverUrl, registered.MachineId, request.Name, registered.Token, pin, trust.Insecure).Save(homeFolder);
        if (args.GetValue(format) == "json")
        {
            var result = new RegistrationResult(registered.MachineId, request.Name, serverUrl, AgentSettings.PathIn(homeFolder), existing?.MachineId);
            output.WriteLine(JsonSerializer.Serialize(result, AgentJson.Default.RegistrationResult));
            return 0;
        }
        output.WriteLine($"Registered machine '{request.Name}' with id {registered.MachineId} on {serverUrl}.");
        if (existing is not null)
        {
            output.WriteLine($"This replaces machine '{existing.Name}' (id {existing.MachineId}), which stays on its server until deleted there.");
        }
        var homeArgument = args.GetValue(home) is null ? "" : $" --home {homeFolder}";
        output.WriteLine($"Its token is kept in {AgentSettings.PathIn(homeFolder)}. Start the agent with: {AgentCommands.ProgramName} run{homeArgument}");
        return 0;
    }

    private const string TokenVariable = "AUTODEPLOY_ENROLMENT_TOKEN";
    private const string ApiKeyVariable = "AUTODEPLOY_API_KEY";

    /// <summary>What registers the machine: an option before a variable, a token before an API key.</summary>
    private RegistrationCredential? Credential(ParseResult args)
    {
        if (args.GetValue(token) is { } fromOption)
        {
            return RegistrationCredential.Token(fromOption);
        }
        if (args.GetValue(apiKey) is { } keyFromOption)
        {
            return RegistrationCredential.ApiKey(keyFromOption);
        }
        if (Environment.GetEnvironmentVariable(TokenVariable) is { } fromVariable && !string.IsNullOrWhiteSpace(fromVariable))
        {
            return RegistrationCredential.Token(fromVariable);
        }
        return Environment.GetEnvironmentVariable(ApiKeyVariable) is { } keyFromVariable && !string.IsNullOrWhiteSpace(keyFromVariable)
            ? RegistrationCredential.ApiKey(keyFromVariable)
            : null;
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
