using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace AutoDeploy.Agent.Commands;

/// <summary>Help as System.CommandLine writes it, followed by the agent's exit codes.</summary>
public sealed class AgentHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public const string ExitCodes = """
        Exit codes:
          0  done (or run stopped by Ctrl+C or SIGTERM)
          1  bad or missing arguments, no registration, or a request the server refused or could not answer
          2  the server refused this agent's token (deregistered or revoked): register again
          3  the agent does not trust the server: plain http:// to another host without --insecure,
             or a certificate that failed verification or does not match --server-thumbprint
          4  register: the server refused the enrolment token (unknown, expired, used up or revoked)
             or the registration is outside what it allows; the server's reason is printed
          5  wait-ready: a deployment of a release the machine should have failed on it
          6  wait-ready: the engine blocked a release for the machine after its retries
          7  wait-ready: the machine was not ready within --timeout
        """;

    // As System.CommandLine's own help: 'register --help' shows help even without the options register requires.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes);
        return exitCode;
    }
}
