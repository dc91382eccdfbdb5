using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.HealthChecks;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.HealthChecks;

/// <summary>The health-check task page on a real database; the page follows the run through the signal (the fake clock never fires its fallback).</summary>
public sealed class HealthCheckPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private DeploymentEnvironment _production = null!;
    private MachinePolicy _policy = null!;

    private HealthCheckService HealthChecks => Services.GetRequiredService<HealthCheckService>();

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddHealthCheckUi();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        _production = await _database.AddEnvironmentAsync("Production");
        _policy = await _database.AddPolicyAsync();
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Shows_a_row_per_machine_and_the_log_of_a_running_check()
    {
        await _database.AddMachineAsync("web-02", [_production], _policy);
        await _database.AddMachineAsync("web-01", [_production], _policy);
        var runId = (await HealthChecks.StartRunAsync(null, _production.Id)).Value;

        var page = Render<HealthCheckPage>(p => p.Add(x => x.Id, runId));

        page.WaitForAssertion(() => Assert.Equal(["web-01", "web-02"],
            page.FindAll(".health-check-machines tbody tr").Select(r => r.GetAttribute("data-machine"))));
        Assert.Equal("Check health of the machines in Production", page.Find("h1").TextContent.Trim());
        Assert.Equal("Executing", page.Find("[data-state]").GetAttribute("data-state"));
        Assert.Contains("Checking 2 machine(s).", page.Find("[data-testid='task-log']").TextContent);
    }

    [Fact]
    public async Task A_finished_run_shows_its_summary_and_the_machine_Healthy()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);
        var runId = (await HealthChecks.StartRunAsync(machine.Id, null)).Value;
        await _database.AnswerAsync(HealthChecks, runId, machine.Id);

        var page = Render<HealthCheckPage>(p => p.Add(x => x.Id, runId));

        page.WaitForAssertion(() => Assert.Equal("1 machine(s) checked.", page.Find("[data-testid='summary']").TextContent.Trim()));
        Assert.Equal("Success", page.Find("[data-state]").GetAttribute("data-state"));
        Assert.Equal(nameof(MachineHealthStatus.Healthy), page.Find(".health-check-machines [data-health]").GetAttribute("data-health"));
        Assert.Contains("web-01: Healthy.", page.Find("[data-testid='task-log']").TextContent);
    }

    [Fact]
    public async Task A_running_check_updates_when_the_machine_answers()
    {
        var machine = await _database.AddMachineAsync("web-01", [_production], _policy);
        var runId = (await HealthChecks.StartRunAsync(machine.Id, null)).Value;
        var page = Render<HealthCheckPage>(p => p.Add(x => x.Id, runId));
        page.WaitForAssertion(() => Assert.Equal("Executing", page.Find("[data-state]").GetAttribute("data-state")));

        await _database.AnswerAsync(HealthChecks, runId, machine.Id);

        page.WaitForAssertion(() => Assert.Equal("Success", page.Find("[data-state]").GetAttribute("data-state")));
        Assert.Contains("web-01: Healthy.", page.Find("[data-testid='task-log']").TextContent);
    }

    [Fact]
    public void An_unknown_run_is_reported_as_missing()
    {
        var page = Render<HealthCheckPage>(p => p.Add(x => x.Id, 404));

        page.WaitForAssertion(() => Assert.Contains("Health check 404 does not exist.", page.Find("[role='alert']").TextContent));
    }
}
