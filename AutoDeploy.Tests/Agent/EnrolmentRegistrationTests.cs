using AutoDeploy.Agent;
using AutoDeploy.Agent.Commands;
using AutoDeploy.Tests.Enrolment;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary><c>register --token</c> against the real server on Kestrel: what a machine's user-data would run.</summary>
[Trait("Database", "App")]
public sealed class EnrolmentRegistrationTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"autodeploy-agent-home-{Guid.NewGuid():N}");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private string _server = "";
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private EnrolmentTokenService _tokens = null!;
    private int _production;
    private int _policy;

    public async Task InitializeAsync()
    {
        _server = _app.StartOnKestrel();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _tokens = _database.CreateTokenService(TimeProvider.System);
        _production = (await _database.AddEnvironmentAsync("Production")).Id;
        await _database.AddEnvironmentAsync("Test");
        await using var db = await _database.CreateDbContextAsync();
        _policy = await db.MachinePolicies.Where(p => p.IsDefault).Select(p => p.Id).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    [Fact]
    public async Task A_machine_registers_with_a_token_under_its_host_name_and_a_random_suffix()
    {
        var token = await _tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production], [_policy]));

        var exitCode = await RegisterAsync("--token", token.Secret, "--environment", "Production", "--role", "web", "--name-suffix", "random");

        Assert.Equal(ExitCodes.Done, exitCode);
        var summary = (await _tokens.GetAsync(token.Token.Id))!;
        Assert.Equal(1, summary.Uses);
        Assert.Matches($"^{Environment.MachineName.ToLowerInvariant()}-[a-z0-9]{{6}}$", summary.LastUsedBy);
        Assert.True(File.Exists(Path.Combine(_home, "agent.json")));
    }

    [Fact]
    public async Task A_revoked_token_exits_with_code_4_and_prints_the_server_s_reason()
    {
        var token = await _tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production], [_policy]));
        var (_, revoked) = await _tokens.RevokeAsync(token.Token.Id);

        var exitCode = await RegisterAsync("--token", token.Secret, "--name", "web-01", "--environment", "Production", "--role", "web");

        Assert.Equal(4, exitCode);
        Assert.Equal("The server refused the enrolment token:\n" +
                     $"  The enrolment token 'web fleet' was revoked at {revoked!.RevokedAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.\n",
            _error.ToString().ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(_home, "agent.json")));
    }

    [Fact]
    public async Task A_registration_outside_the_token_s_scope_exits_with_code_4_saying_why()
    {
        var token = await _tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production], [_policy]));

        var exitCode = await RegisterAsync("--token", token.Secret, "--name", "web-01", "--environment", "Test", "--role", "web");

        Assert.Equal(ExitCodes.EnrolmentTokenRefused, exitCode);
        Assert.Equal("The server refused the registration: it is outside what the enrolment token allows.\n" +
                     "  The enrolment token 'web fleet' does not allow environment 'Test'; it allows Production.\n",
            _error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_used_up_token_exits_with_code_4_saying_so()
    {
        var token = await _tokens.CreateTokenAsync(EnrolmentTestData.Input("web fleet", [_production], [_policy], maxUses: 1));
        Assert.Equal(0, await RegisterAsync("--token", token.Secret, "--name", "web-01", "--environment", "Production"));

        var exitCode = await RegisterAsync("--token", token.Secret, "--name", "web-02", "--environment", "Production", "--force");

        Assert.Equal(ExitCodes.EnrolmentTokenRefused, exitCode);
        Assert.Contains("  The enrolment token 'web fleet' has been used 1 time, all it allows.", _error.ToString());
    }

    private Task<int> RegisterAsync(params string[] args) =>
        Task.Run(() => AgentCommands.RunAsync(["register", "--server", _server, .. args, "--home", _home], _output, _error, CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(60));
}
