using System.Net.Http.Json;
using System.Runtime.Versioning;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Architecture;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// An installed agent of an older build (published here with Version 0.9.0) on a policy that updates agents
/// Automatically: it replaces itself with the server's build and restarts in place, or, when the server's file is not
/// an agent, runs on as it was and says why, once. On SQLite only: what it tests is the agent binary replacing itself; the
/// server's part is one read of the machine's policy and an event (the API tour sends update-failed on PostgreSQL too).
/// </summary>
[Trait("Database", "SqliteOnly")]
[SupportedOSPlatform("linux")]
public sealed class AgentUpdateTests(OlderAgentBuild older) : IClassFixture<OlderAgentBuild>, IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly string _root = Directory.CreateTempSubdirectory("autodeploy-update-").FullName;
    private ChildProcess? _agent;
    private HttpClient _api = null!;
    private string _server = "";
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;

    private string Binary => Path.Combine(_root, "autodeploy-agent");
    private string Home => Path.Combine(_root, "home");

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(string? agentsFolder = null)
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        if (agentsFolder is not null)
        {
            _app.Settings["Agents:Folder"] = agentsFolder;
        }
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        var scenario = await new DeploymentScenario(_factory).WithEnvironmentAsync();
        await using (var db = await _factory.CreateDbContextAsync())
        {
            (await db.MachinePolicies.SingleAsync(p => p.IsDefault)).AgentVersionCheck = AgentVersionCheck.Automatically;
            await db.SaveChangesAsync();
        }
        File.Copy(older.Binary, Binary);
        File.SetUnixFileMode(Binary, File.GetUnixFileMode(older.Binary));
        var (registered, output) = await ChildProcess.RunAsync(Binary, ["register", "--server", _server, "--api-key", AutoDeployAppFactory.AdminApiKey,
            "--name", "old-01", "--environment", scenario.Environment.Name, "--role", "web", "--home", Home]);
        Assert.True(registered == 0, output);
        _agent = ChildProcess.Start(Binary, ["run", "--home", Home]);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
        _api?.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task An_older_agent_replaces_itself_with_the_servers_build_and_restarts_in_place()
    {
        await StartAsync();
        var machineId = await MachineIdAsync();

        await Eventually.TrueAsync(async () => await AgentVersionAsync(machineId) == AgentProtocol.Version, TimeSpan.FromSeconds(120), Output);

        Assert.Equal("0.9.0", older.Version);
        Assert.Null((await _api.GetFromJsonAsync<MachineDetails>($"/api/machines/{machineId}", ProtocolAgent.Json))!.AgentUpdate);
        Assert.False(_agent!.Process.HasExited, Output());
        Assert.Equal(AgentBinaryFiles.Sha256Of(AgentBinaryFiles.Served), AgentBinaryFiles.Sha256Of(Binary));
        Assert.Equal(["autodeploy-agent"], Directory.GetFiles(_root).Select(Path.GetFileName));
        var updated = Assert.Single(await EventsAsync(machineId, EventCategories.AgentUpdated));
        Assert.Equal($"The agent on 'old-01' is now version {AgentProtocol.Version} (was 0.9.0)", updated);
    }

    [Fact]
    public async Task An_update_that_does_not_run_leaves_the_old_agent_running_and_is_reported_once()
    {
        var served = Directory.CreateDirectory(Path.Combine(_root, "served", AgentBinaryFiles.Runtime));
        await File.WriteAllTextAsync(Path.Combine(served.FullName, "autodeploy-agent"), "not an agent");
        await StartAsync(Path.GetDirectoryName(served.FullName));
        var machineId = await MachineIdAsync();

        await Eventually.TrueAsync(async () => (await EventsAsync(machineId, EventCategories.AgentUpdateFailed)).Count > 0,
            TimeSpan.FromSeconds(120), Output);
        // Several more polls, each offering the update again: it is not tried again.
        var polls = Count("update");
        await Eventually.TrueAsync(() => LastSeenAfterFailureAsync(machineId), TimeSpan.FromSeconds(60), Output);

        var failed = Assert.Single(await EventsAsync(machineId, EventCategories.AgentUpdateFailed));
        Assert.StartsWith($"The agent on 'old-01' could not update itself to version {AgentProtocol.Version}: the downloaded agent does not run:", failed);
        Assert.Equal("0.9.0", await AgentVersionAsync(machineId));
        var shown = (await _api.GetFromJsonAsync<MachineDetails>($"/api/machines/{machineId}", ProtocolAgent.Json))!.AgentUpdate;
        Assert.Equal($"{failed}. It runs on; it tries again when it restarts.", shown);
        Assert.False(_agent!.Process.HasExited, Output());
        Assert.Equal(AgentBinaryFiles.Sha256Of(older.Binary), AgentBinaryFiles.Sha256Of(Binary));
        Assert.Equal(polls, Count("update"));
    }

    /// <summary>True once the machine's last contact is 3 long polls after the failure was recorded.</summary>
    private async Task<bool> LastSeenAfterFailureAsync(int machineId)
    {
        await using var db = await _factory.CreateDbContextAsync();
        var failedAt = await db.Events.Where(e => e.MachineId == machineId && e.Category == EventCategories.AgentUpdateFailed)
            .Select(e => e.OccurredAt).SingleAsync();
        var seen = await db.Machines.Where(m => m.Id == machineId).Select(m => m.LastSeenAt).SingleAsync();
        return seen > failedAt + TimeSpan.FromSeconds(3);
    }

    private int Count(string word) => _agent!.Output.Split('\n').Count(l => l.Contains(word, StringComparison.OrdinalIgnoreCase));

    private string Output() => $"agent output:\n{_agent?.Output}";

    private async Task<int> MachineIdAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.Machines.Where(m => m.Name == "old-01").Select(m => m.Id).SingleAsync();
    }

    private async Task<string?> AgentVersionAsync(int machineId) =>
        (await _api.GetFromJsonAsync<MachineDetails>($"/api/machines/{machineId}", ProtocolAgent.Json))!.AgentVersion;

    private async Task<List<string>> EventsAsync(int machineId, string category)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.Events.Where(e => e.MachineId == machineId && e.Category == category).Select(e => e.Message).ToListAsync();
    }
}

/// <summary>
/// The agent as the previous release built it: this repository's agent published self-contained for this machine with
/// Version 0.9.0. Published once per build of the agent (about half a minute) into the tests' folder, keyed by the
/// served binary's hash, so the PostgreSQL pass of the suite reuses the SQLite pass's.
/// </summary>
public sealed class OlderAgentBuild : IAsyncLifetime
{
    public string Version => "0.9.0";

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "older-agent");

    private string _folder = "";

    public string Binary => Path.Combine(_folder, "AutoDeploy.Agent");

    public async Task InitializeAsync()
    {
        _folder = Path.Combine(Root, AgentBinaryFiles.Sha256Of(AgentBinaryFiles.Served)[..16]);
        if (File.Exists(Binary))
        {
            return;
        }
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
        var scratch = Directory.CreateTempSubdirectory("autodeploy-older-agent-").FullName;
        try
        {
            await PublishAsync(scratch);
            Directory.CreateDirectory(Root);
            Directory.Move(Path.Combine(scratch, "out"), _folder);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task PublishAsync(string scratch)
    {
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet",
        [
            "publish", Path.Combine(SourceTree.Root, "AutoDeploy.Agent", "AutoDeploy.Agent.csproj"), "-c", "Release",
            "-r", AgentBinaryFiles.Runtime, $"-p:Version={Version}", "-p:DebugType=none", "-nologo", "-v:q", "-nodeReuse:false",
            "--artifacts-path", Path.Combine(scratch, "build"), "-o", Path.Combine(scratch, "out"),
        ], TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"publishing the older agent failed:\n{output}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
