using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using Bunit;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static AutoDeploy.Tests.MachinePolicies.PolicyTestData;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class MachinePoliciesPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        await _database.SeedDefaultPolicyAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton<IValidator<MachinePolicyInput>, MachinePolicyInputValidator>();
        Services.AddMachinePolicies();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.View, Policies.Administer);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Each_row_shows_the_policy_settings_and_its_machine_count()
    {
        var policy = await PolicyService(_database).SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, "web-01", "web-02");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(
            ["Elastic web", "Every 5 minutes, connectivity only", "Expected to be online", "Delete after 30 minutes unavailable", "2", "Make default"],
            Row(page, "Elastic web").QuerySelectorAll("td").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public async Task Make_default_moves_the_default_badge_to_that_policy()
    {
        await PolicyService(_database).SaveNewAsync(Input("Elastic web"));
        var page = RenderPage();
        page.WaitForAssertion(() => Row(page, "Elastic web").QuerySelector("button")!.Click());

        page.WaitForAssertion(() => Assert.Equal(["Elastic web"],
            page.FindAll(".machine-policies-table tbody tr").Where(r => r.TextContent.Contains("Default", StringComparison.Ordinal)
                && r.QuerySelector(".mud-chip") is not null).Select(r => r.QuerySelector("a")!.TextContent.Trim())));
    }

    private IRenderedComponent<MachinePoliciesPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        return Render<MachinePoliciesPage>();
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MachinePoliciesPage> page, string name) =>
        page.FindAll(".machine-policies-table tbody tr").Single(r => r.QuerySelector("a")?.TextContent.Trim() == name);
}
