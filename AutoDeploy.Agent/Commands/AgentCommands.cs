using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace AutoDeploy.Agent.Commands;

/// <summary>The agent's command line: parses the arguments with System.CommandLine and runs the command they name.</summary>
public static class AgentCommands
{
    /// <summary>The program's name in help and messages, however it was started (dotnet AutoDeploy.Agent.dll, a published executable).</summary>
    public const string ProgramName = "autodeploy-agent";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        // No response files: a value that starts with @ (a name, a role) stays that value.
        var parseResult = CreateRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is ParseErrorAction)
        {
            // Our own report rather than System.CommandLine's: errors only, then a pointer to help, all on stderr
            // (its report prints the whole help after the errors, and its typo suggestions on stdout).
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine(parseError.Message);
            }
            error.WriteLine($"Run '{CommandPath(parseResult.CommandResult)} --help' to see how to use it.");
            return 1;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Program.cs handles Ctrl+C and SIGTERM and cancels ct, so that run stops cleanly (its running script is
            // killed and reported Canceled). System.CommandLine's own handler would also take the signals and end the
            // process once its timeout passed, cutting that short.
            ProcessTerminationTimeout = null,
            // A bug should surface with its stack trace, as it did before, not as a one-line message and exit code 1.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parseResult.InvokeAsync(invocation, ct);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>The registration in <paramref name="home"/>, or null after saying there is none.</summary>
    internal static AgentSettings? LoadRegistration(string home, TextWriter error)
    {
        var settings = AgentSettings.Load(home);
        if (settings is null)
        {
            error.WriteLine($"This agent is not registered: there is no {AgentSettings.PathIn(home)}. "
                + $"Run '{ProgramName} register' first (with the same --home).");
        }
        return settings;
    }

    /// <summary>
    /// The registration in <paramref name="home"/> with a client that talks only to its server as trusted, or null after
    /// saying why not (no registration: <see cref="ExitCodes.Failed"/>; a server it may not use: <see cref="ExitCodes.ServerNotTrusted"/>).
    /// </summary>
    internal static (AgentSettings Settings, HttpClient Http)? Connect(string home, TextWriter error, out int exitCode)
    {
        exitCode = ExitCodes.Failed;
        var settings = LoadRegistration(home, error);
        if (settings is null)
        {
            return null;
        }
        var trust = ServerTrust.Of(settings);
        if (trust.Refusal is { } refusal)
        {
            error.WriteLine(refusal);
            exitCode = ExitCodes.ServerNotTrusted;
            return null;
        }
        return (settings, trust.CreateClient());
    }

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand("AutoDeploy agent: registers this machine with an AutoDeploy server and runs the work the server gives it.")
        {
            new RegisterCommand(),
            new RunCommand(),
            new DeregisterCommand(),
            new WaitReadyCommand(),
        };
        root.HelpName = ProgramName;

        // The root's help option applies to every command, so its action is the one place to add the exit codes.
        var helpOption = root.Options.OfType<HelpOption>().Single();
        var help = new AgentHelpAction((HelpAction)helpOption.Action!);
        helpOption.Action = help;
        root.SetAction(help.Invoke);

        // 'help' and 'help register' as well as '--help' and 'register --help'.
        var commandNames = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore };
        var helpCommand = new Command("help", "Shows help for the agent or one of its commands.") { Hidden = true };
        helpCommand.Arguments.Add(commandNames);
        helpCommand.SetAction(parseResult =>
            root.Parse([.. parseResult.GetValue(commandNames) ?? [], "--help"]).Invoke(parseResult.InvocationConfiguration));
        root.Subcommands.Add(helpCommand);
        return root;
    }

    private static string CommandPath(CommandResult result) =>
        result.Parent is CommandResult parent ? $"{CommandPath(parent)} {result.Command.Name}" : ProgramName;
}
