using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Projects;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Bunit;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static AutoDeploy.Tests.Triggers.TriggerTestData;

namespace AutoDeploy.Tests.Triggers;

public sealed class TriggersTabTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private DeploymentScenario _scenario = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<IValidator<TriggerInput>, TriggerInputValidator>();
        Services.AddSingleton<IValidator<ReleaseInput>, ReleaseInputValidator>();
        Services.AddSingleton<IValidator<Domain.Projects.ProjectInput>, Domain.Projects.ProjectInputValidator>();
        Services.AddSingleton(TestSecrets.Protector);
        Services.AddProjects();
        Services.AddTriggers();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.Deploy);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Lists_each_trigger_with_a_link_and_its_filter()
    {
        var input = Input("Web servers", "web");
        input.EnvironmentIds = [_scenario.Environment.Id];
        var trigger = await TriggerService(_database).SaveNewAsync(_scenario.Project.Id, input);

        var tab = await RenderTabAsync();

        tab.WaitForAssertion(() => Assert.Equal($"/triggers/{trigger.Id}", tab.Find(".triggers-table a").GetAttribute("href")));
        Assert.Contains($"MachineAvailableForDeployment · {_scenario.Environment.Name} · roles web", tab.Find(".triggers-table tbody").TextContent);
    }

    [Fact]
    public async Task Shows_the_release_pinned_for_an_environment()
    {
        await OverrideService(_database, _database.Time).SetAsync(_scenario.Project.Id, _scenario.Environment.Id, _scenario.Release.Id);

        var tab = await RenderTabAsync();

        tab.WaitForAssertion(() => Assert.Equal("1.0.0",
            tab.Find($".override-row[data-environment='{_scenario.Environment.Name}'] .override-release").TextContent.Trim()));
    }

    private async Task<IRenderedComponent<TriggersTab>> RenderTabAsync()
    {
        Render<MudPopoverProvider>();
        var project = (await Services.GetRequiredService<ProjectService>().GetAsync(_scenario.Project.Id))!;
        return Render<TriggersTab>(p => p.Add(x => x.Project, project).Add(x => x.CanEdit, true));
    }
}
