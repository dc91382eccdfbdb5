using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Components.Pages.Machines;

/// <summary>The one line that installs the agent on a machine and registers it with a new token, ready for its user-data.</summary>
public static class EnrolmentCommand
{
    /// <summary>
    /// Installs with the server's install.sh and registers into the token's first environment with all its roles and a
    /// random suffix after the host name, so that clones of one image get names of their own. A token with several
    /// policies names its first (the server's default may not be among them).
    /// </summary>
    public static string For(string server, EnrolmentTokenSummary token, string secret, string? thumbprint = null)
    {
        var options = new List<string> { $"--token {secret}" };
        options.AddRange(token.Environments.Take(1).Select(e => $"--environment {Quote(e.Name)}"));
        options.AddRange(token.Roles.Select(r => $"--role {r}"));
        if (token.Policies.Count > 1)
        {
            options.Add($"--policy {Quote(token.Policies[0].Name)}");
        }
        options.Add("--name-suffix random");
        if (thumbprint is not null)
        {
            options.Add($"--server-thumbprint {thumbprint}");
        }
        return $"curl -fsSL {Quote(server + "/install.sh")} | sudo bash -s -- " + string.Join(" \\\n    ", options);
    }

    /// <summary>A word for bash: as it is when plain, else in single quotes (as install.sh's values are).</summary>
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:@".Contains(c)) ? text : InstallScript.Quote(text);
}
