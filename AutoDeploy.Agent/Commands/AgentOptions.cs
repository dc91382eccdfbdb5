using System.CommandLine;

namespace AutoDeploy.Agent.Commands;

/// <summary>Options the agent's commands share, and options that take text, each of which refuses a value that is not one.</summary>
public static class AgentOptions
{
    /// <summary><c>--home</c>: the folder that holds this agent's registration.</summary>
    public static Option<string> Home() =>
        Text("--home", "DIR", "Where the registration is kept (default: ~/.autodeploy-agent); give each agent on one host its own");

    /// <summary>The folder <paramref name="home"/> names, or the default one.</summary>
    public static string HomeFolder(this ParseResult parseResult, Option<string> home) =>
        Path.GetFullPath(parseResult.GetValue(home) ?? AgentSettings.DefaultHome);

    /// <summary>An option that takes one value; giving it twice is an error.</summary>
    public static Option<string> Text(string name, string valueName, string description, bool required = false) =>
        RefuseNonValues(new Option<string>(name) { HelpName = valueName, Description = description, Required = required });

    /// <summary>An option that may be given several times; every value is kept, in order.</summary>
    public static Option<string[]> Repeatable(string name, string valueName, string description, bool required = false) =>
        RefuseNonValues(new Option<string[]>(name) { HelpName = valueName, Description = description, Required = required });

    // The parser takes whatever follows an option that it does not know as a value: 'run --home --force' would be the
    // home '--force'. A blank value is no value either.
    private static TOption RefuseNonValues<TOption>(TOption option) where TOption : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var value in result.Tokens.Select(t => t.Value))
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    result.AddError($"{option.Name} needs a value.");
                }
                else if (value.StartsWith("--"))
                {
                    result.AddError($"{option.Name} needs a value, not the option '{value}'.");
                }
            }
        });
        return option;
    }
}
