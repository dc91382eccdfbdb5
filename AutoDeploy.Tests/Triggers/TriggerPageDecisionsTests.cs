using AngleSharp.Dom;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.Engine;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using Bunit;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoDeploy.Tests.Triggers;

/// <summary>The trigger page's recent decisions and its preview, on decisions the engine really made.</summary>
public sealed class TriggerPageDecisionsTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;
    private int _triggerId;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(TimeProvider.System);
        _scenario = await new EngineScenario(_database).StartAsync(stepRole: "web");
        await _scenario.ReleaseAsync("1.0.0");
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await using (var db = _database.CreateDbContext())
        {
            _triggerId = (await db.Triggers.SingleAsync()).Id;
        }
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<IValidator<TriggerInput>, TriggerInputValidator>();
        Services.AddSingleton<IValidator<ReleaseInput>, ReleaseInputValidator>();
        Services.AddTriggers();
        Services.AddAutoDeployDecisions();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.Deploy);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Recent_decisions_list_each_machine_with_its_reason_and_deployment()
    {
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains(Rows(page), r => r.TextContent.Contains("web-01")));
        var row = Rows(page).First(r => r.TextContent.Contains("web-01"));
        Assert.Equal("true", row.GetAttribute("data-queued"));
        Assert.StartsWith("1.0.0 queued:", row.QuerySelector(".decision-reason")!.TextContent.Trim());
        Assert.NotNull(row.QuerySelector($"a[href='/machines/{machine}']"));
        Assert.NotNull(row.QuerySelector("a[href^='/deployments/']"));
    }

    [Fact]
    public async Task Preview_shows_the_decision_and_the_deployment_that_would_be_queued()
    {
        await _scenario.AddMachineAsync("web-01");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(PreviewButtons(page)));

        await PreviewButtons(page)[0].ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".preview-decisions tbody tr")));
        var row = page.FindAll(".preview-decisions tbody tr").Single(r => r.TextContent.Contains("web-01"));
        Assert.Equal(nameof(DecisionKind.Queued), row.GetAttribute("data-kind"));
        Assert.StartsWith("1.0.0 queued: #-", row.QuerySelector(".decision-reason")!.TextContent.Trim());
        Assert.Equal("1.0.0 to Production on web-01", page.Find(".preview-deployments li").TextContent.Trim());
    }

    private IRenderedComponent<TriggerPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        return Render<TriggerPage>(p => p.Add(x => x.Id, _triggerId));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<TriggerPage> page) => page.FindAll(".auto-deploy-decisions tbody tr");

    private static IReadOnlyList<IElement> PreviewButtons(IRenderedComponent<TriggerPage> page) =>
        page.FindAll("button").Where(b => b.TextContent.Trim() == "Preview").ToList();
}
