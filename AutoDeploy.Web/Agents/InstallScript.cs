using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// install.sh as this server serves it: the script kept beside this file (an embedded resource) with the server's
/// address, the agent's version, the certificate thumbprint agents should pin and the SHA-256 of each binary filled in.
/// </summary>
public sealed class InstallScript(AgentBinaries binaries, ServerCertificate certificate)
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(InstallScript).Assembly.GetManifestResourceStream("AutoDeploy.Web.Agents.install.sh")
            ?? throw new InvalidOperationException("install.sh is not embedded in AutoDeploy.Web.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The script for agents that reach the server at <paramref name="serverUrl"/>.</summary>
    public string Render(string serverUrl, bool https)
    {
        var all = binaries.All();
        string Sha256Of(string runtime) => all.FirstOrDefault(b => b.Runtime == runtime)?.Sha256 ?? "";
        return Template.Value
            .Replace("@@SERVER@@", Quote(serverUrl))
            .Replace("@@VERSION@@", Quote(AgentProtocol.Version))
            .Replace("@@THUMBPRINT@@", Quote(https ? certificate.Thumbprint ?? "" : ""))
            .Replace("@@SHA256_X86_64@@", Quote(Sha256Of("linux-x64")))
            .Replace("@@SHA256_AARCH64@@", Quote(Sha256Of("linux-arm64")));
    }

    /// <summary>A bash word that is exactly <paramref name="value"/>, whatever it holds (the address comes from the request).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
