using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AutoDeploy.Agent;
using AutoDeploy.Agent.Commands;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.Agent;

/// <summary>The agent talks only to its server: over HTTPS with a self-signed certificate made here, and plain HTTP.</summary>
public sealed class ServerTrustTests : IAsyncLifetime
{
    private readonly string home = Path.Combine(Path.GetTempPath(), $"autodeploy-agent-home-{Guid.NewGuid():N}");
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly X509Certificate2 certificate = SelfSigned();
    private FakeAgentServer server = null!;

    public async Task InitializeAsync() => server = await FakeAgentServer.StartAsync(certificate);

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        certificate.Dispose();
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Register_PinnedToTheServersCertificate_RegistersAndKeepsThePin()
    {
        var pin = string.Join(':', ServerTrust.ThumbprintOf(certificate).Chunk(2).Select(c => new string(c))).ToLowerInvariant();

        var exitCode = await RegisterAsync("--server-thumbprint", pin);

        Assert.Equal((0, ""), (exitCode, error.ToString()));
        Assert.Equal(ServerTrust.ThumbprintOf(certificate), AgentSettings.Load(home)!.ServerThumbprint);
    }

    [Fact]
    public async Task Register_WithAnotherThumbprint_IsRefusedBeforeAnythingIsSent()
    {
        var exitCode = await RegisterAsync("--server-thumbprint", new string('A', 64));

        Assert.Equal(ExitCodes.ServerNotTrusted, exitCode);
        Assert.Contains($"thumbprint is {ServerTrust.ThumbprintOf(certificate)}, not the pinned {new string('A', 64)}", error.ToString());
        Assert.Equal(0, server.Requests);
        Assert.False(File.Exists(AgentSettings.PathIn(home)));
    }

    [Fact]
    public async Task Register_WithoutAPin_RefusesASelfSignedCertificateAndSaysHowToPinIt()
    {
        var exitCode = await RegisterAsync();

        Assert.Equal(ExitCodes.ServerNotTrusted, exitCode);
        Assert.Contains("failed verification", error.ToString());
        Assert.Contains("--server-thumbprint", error.ToString());
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Register_PlainHttpToAnotherHost_IsRefusedUnlessInsecure()
    {
        var exitCode = await AgentCommands.RunAsync(["register", "--server", "http://deploy.example.invalid", "--api-key", FakeAgentServer.ApiKey,
            "--name", "web-01", "--environment", "Test", "--home", home], output, error, default);

        Assert.Equal(ExitCodes.ServerNotTrusted, exitCode);
        Assert.Contains("Refusing plain http:// to deploy.example.invalid", error.ToString());
        Assert.Contains("--insecure", error.ToString());
    }

    [Fact]
    public async Task Run_PinnedToTheServersCertificate_PollsAndReportsItsJobs()
    {
        new AgentSettings(server.Url, FakeAgentServer.MachineId, "web-01", FakeAgentServer.Token, ServerTrust.ThumbprintOf(certificate)).Save(home);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => AgentCommands.RunAsync(["run", "--home", home], output, error, stop.Token));

        server.Enqueue(new AgentJob(1, AgentJobKind.HealthCheck, "Health check", "", new Dictionary<string, string>(), 60));
        var completion = await server.CompletionOf(1).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        Assert.Equal(JobOutcome.Succeeded, completion.Outcome);
        Assert.Equal(ExitCodes.Done, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Run_WhenTheServersCertificateIsNotThePinnedOne_StopsWithExitCode3()
    {
        new AgentSettings(server.Url, FakeAgentServer.MachineId, "web-01", FakeAgentServer.Token, new string('B', 64)).Save(home);

        var exitCode = await Task.Run(() => AgentCommands.RunAsync(["run", "--home", home], output, error, default)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.ServerNotTrusted, exitCode);
        Assert.Contains("does not trust the server", output.ToString());
        Assert.Equal(0, server.Requests);
    }

    [Theory]
    [InlineData("http://10.1.2.3:5080", false, true)]
    [InlineData("http://10.1.2.3:5080", true, false)]
    [InlineData("http://localhost:5080", false, false)]
    [InlineData("http://127.0.0.1:5080", false, false)]
    [InlineData("http://[::1]:5080", false, false)]
    [InlineData("https://deploy.example.com", false, false)]
    public void Plain_http_is_refused_to_any_host_but_this_machine_unless_insecure(string server, bool insecure, bool refused)
    {
        var trust = new ServerTrust(new Uri(server), null, insecure);

        Assert.Equal(refused, trust.Refusal is not null);
    }

    [Theory]
    [InlineData("ab:CD:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89", true)]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", true)]
    [InlineData("ABCDEF0123456789", false)]
    [InlineData("XYZDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", false)]
    public void A_thumbprint_is_read_as_people_copy_it(string text, bool valid)
    {
        var thumbprint = ServerTrust.ParseThumbprint(text);

        Assert.Equal(valid ? "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789" : null, thumbprint);
    }

    private Task<int> RegisterAsync(params string[] extra) => AgentCommands.RunAsync(
        ["register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01", "--environment", "Test", "--home", home,
            .. extra], output, error, default);

    /// <summary>A certificate for CN=autodeploy-test, valid for a day, with its private key (as a server would load it from a PFX).</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=autodeploy-test", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
