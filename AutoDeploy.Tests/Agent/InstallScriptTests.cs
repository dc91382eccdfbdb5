using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// install.sh as a new machine runs it: fetched from the server on Kestrel with curl and piped to bash, installing the
/// self-contained agent the build published into a temporary root (--prefix, --no-service: there is no systemd to
/// start services here), which then registers, is deployed to automatically and leaves again. On SQLite only: what it
/// tests is the installer and the installed binary; registration with a token on PostgreSQL is EnrolmentRegistrationTests'.
/// </summary>
[Trait("Database", "SqliteOnly")]
[SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly string _root = Directory.CreateTempSubdirectory("autodeploy-install-").FullName;
    private readonly List<ChildProcess> _agents = [];
    private string _server = "";
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    private string Binary => Path.Combine(_root, "opt/autodeploy-agent/autodeploy-agent");
    private string Home => Path.Combine(_root, "var/lib/autodeploy-agent");

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        _api.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_one_liner_installs_a_self_contained_agent_that_registers_and_is_deployed_to_automatically()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", "echo \"installed $AUTODEPLOY_RELEASE on $AUTODEPLOY_MACHINE\""));
        await _scenario.WithSuccessfulDeploymentAndTriggerAsync();

        var token = await CreateTokenAsync();

        var (exitCode, output) = await InstallWithAsync(["--token", token, "--environment", _scenario.Environment.Name, "--role", "web",
            "--name", "scaled-01"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("installed and registered", output);
        var served = await _api.GetFromJsonAsync<List<AgentBinary>>("/api/agent-binaries", ProtocolAgent.Json);
        Assert.Equal(Assert.Single(served!, b => b.Runtime == AgentBinaryFiles.Runtime).Sha256, AgentBinaryFiles.Sha256Of(Binary));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Home, "agent.json")));
        var machineId = await MachineIdAsync("scaled-01");

        var agent = StartInstalledAgent();
        var (ready, readyOutput) = await ChildProcess.RunAsync(Binary, ["wait-ready", "--home", Home, "--timeout", "90s"]);

        Assert.True(ready == 0, readyOutput + agent.Output);
        Assert.Contains("'scaled-01' is ready", readyOutput);
        Assert.True(await HasReleaseAsync(machineId), agent.Output);

        // The agent is its own program: no dotnet host, and nothing of the machine's .NET (if any) loaded.
        Assert.Equal(Binary, new FileInfo($"/proc/{agent.Process.Id}/exe").ResolveLinkTarget(returnFinalTarget: true)!.FullName);
        Assert.DoesNotContain("/dotnet/", await File.ReadAllTextAsync($"/proc/{agent.Process.Id}/maps"));
    }

    [Fact]
    public async Task Running_it_again_keeps_the_registration_and_installs_nothing_twice()
    {
        var (first, firstOutput) = await InstallAsync("--name", "again-01");
        Assert.True(first == 0, firstOutput);

        var (second, output) = await InstallAsync("--name", "again-01");

        Assert.True(second == 0, output);
        Assert.Contains("Already registered", output);
        Assert.Single(await MachinesNamedAsync("again-01"));
        Assert.Equal(["autodeploy-agent"], Directory.GetFiles(Path.GetDirectoryName(Binary)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_binary_whose_checksum_does_not_match_is_not_installed()
    {
        var script = (await _api.GetStringAsync("/install.sh"))
            .Replace($"sha256_x86_64='{await ServedSha256Async("linux-x64")}'", "sha256_x86_64='" + new string('0', 64) + "'")
            .Replace($"sha256_aarch64='{await ServedSha256Async("linux-arm64")}'", "sha256_aarch64='" + new string('0', 64) + "'");

        var (exitCode, output) = await RunAsync(script, "--name", "tampered-01");

        Assert.Equal(1, exitCode);
        Assert.Contains($"checksum mismatch for the {AgentBinaryFiles.Runtime} agent", output);
        Assert.Contains("Nothing was installed.", output);
        AssertNothingInstalled();
        Assert.Empty(await MachinesNamedAsync("tampered-01"));
    }

    [Fact]
    public async Task An_unsupported_architecture_stops_before_anything_is_downloaded()
    {
        var (exitCode, output) = await InstallAsync("--arch", "mips64", "--name", "mips-01");

        Assert.Equal(1, exitCode);
        Assert.Contains("unsupported architecture 'mips64': the AutoDeploy agent is built for x86_64 and aarch64. Nothing was installed.", output);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task A_refused_registration_passes_on_the_agents_exit_code_and_leaves_nothing_behind()
    {
        var (exitCode, output) = await InstallAsync("--name", "nowhere-01", "--environment", "Nowhere");

        Assert.Equal(1, exitCode);
        Assert.Contains("Unknown environments: 'Nowhere'", output);
        Assert.Contains("registration failed (exit code 1). Nothing was installed.", output);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task Uninstall_deregisters_the_machine_and_removes_the_agent()
    {
        var (installed, installOutput) = await InstallAsync("--name", "leaving-01");
        Assert.True(installed == 0, installOutput);
        var machineId = await MachineIdAsync("leaving-01");

        var (exitCode, output) = await RunAsync(await _api.GetStringAsync("/install.sh"), "uninstall", "--prefix", _root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Deregistered machine 'leaving-01'", output);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/machines/{machineId}")).StatusCode);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task An_agent_run_with_deregister_on_stop_leaves_when_it_is_stopped()
    {
        var (installed, installOutput) = await InstallAsync("--name", "spot-01");
        Assert.True(installed == 0, installOutput);
        var machineId = await MachineIdAsync("spot-01");
        var agent = StartInstalledAgent("--deregister-on-stop");
        await Eventually.TrueAsync(async () => (await _api.GetFromJsonAsync<MachineDetails>($"/api/machines/{machineId}", ProtocolAgent.Json))!
            .LastSeenAt is not null, TimeSpan.FromSeconds(60), () => agent.Output);

        using (var term = Process.Start("kill", ["-TERM", agent.Process.Id.ToString()]))
        {
            await term.WaitForExitAsync();
        }
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.Process.WaitForExitAsync(exited.Token);

        Assert.True(agent.Process.ExitCode == 0, agent.Output);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/machines/{machineId}")).StatusCode);
        Assert.False(File.Exists(Path.Combine(Home, "agent.json")));
    }

    [Fact]
    public async Task The_systemd_unit_runs_the_installed_agent_as_its_own_user_and_restarts_it_on_failure()
    {
        var (installed, installOutput) = await InstallAsync("--name", "unit-01");
        Assert.True(installed == 0, installOutput);

        var (exitCode, unit) = await RunAsync(await _api.GetStringAsync("/install.sh"), "--print-unit", "--prefix", _root, "--deregister-on-stop");

        Assert.True(exitCode == 0, unit);
        Assert.Contains("User=autodeploy-agent", unit);
        Assert.Contains($"ExecStart={Binary} run --home {Home} --deregister-on-stop", unit);
        Assert.Contains("Restart=on-failure", unit);
        Assert.Contains("RestartPreventExitStatus=2 3", unit);
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            var file = Path.Combine(_root, "autodeploy-agent.service");
            await File.WriteAllTextAsync(file, unit);
            var (verified, problems) = await ChildProcess.RunAsync("systemd-analyze", ["verify", file]);
            Assert.True(verified == 0 && !problems.Contains(file), problems);
        }
    }

    [Fact]
    public async Task The_binaries_are_served_with_their_checksum_and_can_be_resumed()
    {
        var binaries = await _api.GetFromJsonAsync<List<AgentBinary>>("/api/agent-binaries", ProtocolAgent.Json);
        Assert.NotNull(binaries);
        Assert.Equal(["linux-x64", "linux-arm64"], binaries.Select(b => b.Runtime));

        using var anonymous = new HttpClient { BaseAddress = new Uri(_server) };
        using var whole = await anonymous.GetAsync("/agents/linux-x64/autodeploy-agent");
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        using var rest = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/agents/linux-x64/autodeploy-agent")
        {
            Headers = { Range = new(1000, null) },
        });
        using var unknown = await anonymous.GetAsync("/agents/windows-x64/autodeploy-agent");

        Assert.Equal(binaries[0].Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(binaries[0].Sha256, Assert.Single(whole.Headers.GetValues("X-Checksum-Sha256")));
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(bytes[1000..], await rest.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("there is one for linux-x64 and linux-arm64", await unknown.Content.ReadAsStringAsync());
    }

    /// <summary>curl -fsSL &lt;server&gt;/install.sh | bash -s -- ..., as user-data would run it, into the temporary root.</summary>
    private Task<(int ExitCode, string Output)> InstallAsync(params string[] arguments) =>
        InstallWithAsync(["--api-key", AutoDeployAppFactory.AdminApiKey, "--environment", _scenario.Environment.Name, "--role", "web", .. arguments]);

    private Task<(int ExitCode, string Output)> InstallWithAsync(string[] arguments) =>
        ChildProcess.RunAsync("bash", ["-c", $"curl -fsSL {_server}/install.sh | bash -s -- \"$@\"", "install", "--no-service", "--prefix", _root, .. arguments]);

    /// <summary>An enrolment token for the scenario's environment, role web and the default policy, made through the API.</summary>
    private async Task<string> CreateTokenAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        var policyId = await db.MachinePolicies.Where(p => p.IsDefault).Select(p => p.Id).SingleAsync();
        using var response = await _api.PostAsJsonAsync("/api/enrolment-tokens", new
        {
            name = "auto-scaling group", environmentIds = new[] { _scenario.Environment.Id }, roles = new[] { "web" }, policyIds = new[] { policyId },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var file = Path.Combine(_root, "install.sh");
        await File.WriteAllTextAsync(file, script);
        var (exitCode, output) = await ChildProcess.RunAsync("bash", [file, "--no-service", "--prefix", _root, "--api-key", AutoDeployAppFactory.AdminApiKey,
            "--environment", _scenario.Environment.Name, "--role", "web", .. arguments]);
        File.Delete(file);
        return (exitCode, output);
    }

    private ChildProcess StartInstalledAgent(params string[] options)
    {
        var agent = ChildProcess.Start(Binary, ["run", "--home", Home, .. options]);
        _agents.Add(agent);
        return agent;
    }

    private void AssertNothingInstalled()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(Binary)), "the agent's folder is left behind");
        Assert.False(Directory.Exists(Home), "the agent's home is left behind");
    }

    private async Task<string> ServedSha256Async(string runtime) =>
        (await _api.GetFromJsonAsync<List<AgentBinary>>("/api/agent-binaries", ProtocolAgent.Json))!.Single(b => b.Runtime == runtime).Sha256;

    private async Task<List<MachineSummary>> MachinesNamedAsync(string name) =>
        (await _api.GetFromJsonAsync<MachineList>($"/api/machines?search={name}", ProtocolAgent.Json))!.Items.Where(m => m.Name == name).ToList();

    private async Task<int> MachineIdAsync(string name) => Assert.Single(await MachinesNamedAsync(name)).Id;

    private async Task<bool> HasReleaseAsync(int machineId) =>
        (await _api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machineId}/releases", ProtocolAgent.Json))!.Count > 0;
}
