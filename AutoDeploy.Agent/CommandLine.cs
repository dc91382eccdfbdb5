namespace AutoDeploy.Agent;

/// <summary>A bad command line: the message says what is wrong; the caller prints it with a usage hint.</summary>
public sealed class CommandLineException(string message) : Exception(message);

/// <summary>A parsed command line: the command, its options (repeatable ones keep every value) and its flags.</summary>
public sealed class CommandLine
{
    private static readonly Dictionary<string, (string[] Single, string[] Repeatable, string[] Flags, string[] Required)> Commands = new()
    {
        ["register"] = (["server", "api-key", "name", "policy", "home"], ["environment", "role"], ["force"], ["server", "name", "environment"]),
        ["run"] = (["home"], [], [], []),
        ["deregister"] = (["home"], [], [], []),
    };

    private readonly Dictionary<string, List<string>> values = [];
    private readonly HashSet<string> flags = [];

    private CommandLine(string command) => Command = command;

    public string Command { get; }

    public bool HelpRequested { get; private init; }

    /// <summary>The folder that holds this agent's registration.</summary>
    public string Home => Path.GetFullPath(Value("home") ?? AgentSettings.DefaultHome);

    public string? Value(string option) => values.TryGetValue(option, out var list) ? list[0] : null;

    public IReadOnlyList<string> Values(string option) => values.TryGetValue(option, out var list) ? list : [];

    public bool Flag(string flag) => flags.Contains(flag);

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            return new CommandLine("") { HelpRequested = true };
        }
        if (!Commands.TryGetValue(args[0], out var spec))
        {
            throw new CommandLineException($"Unknown command '{args[0]}'. The commands are register, run and deregister.");
        }
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            return new CommandLine(args[0]) { HelpRequested = true };
        }

        var parsed = new CommandLine(args[0]);
        for (var i = 1; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitOption(args[i]);
            if (spec.Flags.Contains(name) && inlineValue is null)
            {
                parsed.flags.Add(name);
                continue;
            }
            var repeatable = spec.Repeatable.Contains(name);
            if (!repeatable && !spec.Single.Contains(name))
            {
                throw new CommandLineException($"Unknown option '{args[i]}' for '{parsed.Command}'.");
            }
            var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--") ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new CommandLineException($"--{name} needs a value.");
            }
            if (!repeatable && parsed.values.ContainsKey(name))
            {
                throw new CommandLineException($"--{name} is given more than once.");
            }
            parsed.values.TryAdd(name, []);
            parsed.values[name].Add(value);
        }

        var missing = spec.Required.Where(r => !parsed.values.ContainsKey(r)).Select(r => "--" + r).ToList();
        if (missing.Count > 0)
        {
            throw new CommandLineException($"'{parsed.Command}' needs {string.Join(", ", missing)}.");
        }
        return parsed;
    }

    private static (string Name, string? Value) SplitOption(string arg)
    {
        if (!arg.StartsWith("--") || arg.Length == 2)
        {
            throw new CommandLineException($"Unexpected argument '{arg}': options start with --, such as --name web-01.");
        }
        var equals = arg.IndexOf('=');
        return equals < 0 ? (arg[2..], null) : (arg[2..equals], arg[(equals + 1)..]);
    }

    public const string Usage = """
        AutoDeploy agent: registers this machine with an AutoDeploy server and runs the work the server gives it.

        Usage:
          AutoDeploy.Agent register --server URL --api-key KEY --name NAME --environment ENV [--environment ENV ...]
                                    [--role ROLE ...] [--policy NAME] [--home DIR] [--force]
          AutoDeploy.Agent run [--home DIR]
          AutoDeploy.Agent deregister [--home DIR]
          AutoDeploy.Agent COMMAND --help

        Options:
          --server URL        the AutoDeploy server, for example https://deploy.example.com
          --api-key KEY       an API key allowed to register machines (or set AUTODEPLOY_API_KEY)
          --name NAME         this machine's name on the server
          --environment ENV   an environment the machine belongs to (repeat for several)
          --role ROLE         a role of the machine, such as web or worker (repeat for several)
          --policy NAME       its machine policy (default: the server's default policy)
          --home DIR          where the registration is kept (default: ~/.autodeploy-agent);
                              give each agent on one host its own
          --force             replace an existing registration in that home

        Exit codes: 0 done, 1 bad arguments or a request the server refused or could not answer,
        2 the server refused this agent's token (deregistered or revoked): register again.
        """;
}
