using AngleSharp.Dom;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Bunit;
using Bunit.TestDoubles;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static AutoDeploy.Tests.MachinePolicies.PolicyTestData;

namespace AutoDeploy.Tests.MachinePolicies;

public sealed class MachinePolicyPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private MachinePolicyService _policies = null!;
    private BunitAuthorizationContext _authorization = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _policies = PolicyService(_database);
        await _database.SeedDefaultPolicyAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton<IValidator<MachinePolicyInput>, MachinePolicyInputValidator>();
        Services.AddMachinePolicies();
        _authorization = AddAuthorization();
        _authorization.SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.View, Policies.Administer);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public void Choosing_RunScript_shows_the_script_field()
    {
        var (page, _) = RenderPage(null);
        page.WaitForAssertion(() => Assert.Empty(Fields(page, "Health check script (bash)")));

        Radio(page, "Run a bash health script").Click();

        page.WaitForAssertion(() => Assert.Single(Fields(page, "Health check script (bash)")));
    }

    [Fact]
    public async Task An_interval_of_0_minutes_shows_the_message_beside_the_interval()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var (page, _) = RenderPage(policy.Id);
        page.WaitForAssertion(() => Assert.Equal("5", FieldInput(page, "Check every").GetAttribute("value")));

        FieldInput(page, "Check every").Input("0");

        page.WaitForAssertion(() => Assert.Contains("The health check interval must be between 1 minute and 7 days.",
            Field(page, "Check every").TextContent));
    }

    [Fact]
    public async Task Saving_RunScript_without_a_script_shows_the_message_beside_the_script_and_saves_nothing()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var (page, _) = RenderPage(policy.Id);
        page.WaitForAssertion(() => Radio(page, "Run a bash health script").Click());

        page.WaitForAssertion(() => Button(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Contains("A RunScript health check needs a script.",
            Field(page, "Health check script (bash)").TextContent));
        Assert.Equal(HealthCheckType.ConnectivityOnly, (await _policies.GetAsync(policy.Id))!.HealthCheckType);
    }

    [Fact]
    public async Task Saving_over_someone_elses_change_says_so_and_keeps_the_input()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        var (page, _) = RenderPage(policy.Id);
        // The loaded policy is on screen (not just the field), so no load renders over the edit below.
        page.WaitForAssertion(() => Assert.Equal("Auto-scaling web servers", FieldInput(page, "Description").TextContent));
        var theirs = policy.ToInput();
        theirs.Description = "Theirs";
        await _policies.UpdateAsync(policy.Id, theirs, policy.Version);

        // Found and clicked on the renderer's thread: a render in between would leave a stale event handler.
        await page.InvokeAsync(() => FieldInput(page, "Description").Input("Mine"));
        await page.InvokeAsync(() => Button(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Contains("Someone else changed this machine policy", page.Find("[role=alert]").TextContent));
        Assert.Equal("Mine", FieldInput(page, "Description").TextContent);
    }

    [Fact]
    public async Task Deleting_a_policy_in_use_shows_the_refusal_naming_its_machines()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, "web-01");
        var (page, dialogs) = RenderPage(policy.Id);

        page.WaitForAssertion(() => Button(page, "Delete").Click());
        dialogs.WaitForAssertion(() => Button(dialogs, "Delete").Click());

        page.WaitForAssertion(() => Assert.Equal("Policy 'Elastic web' is used by web-01; move them to another policy first.",
            page.Find("[role=alert]").TextContent.Trim()));
        Assert.NotNull(await _policies.GetAsync(policy.Id));
    }

    [Fact]
    public async Task The_machines_using_the_policy_link_to_their_pages()
    {
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));
        await _database.AddMachinesAsync(policy.Id, "web-01");
        var machineId = (await _policies.GetAsync(policy.Id))!.Machines.Single().Id;

        var (page, _) = RenderPage(policy.Id);

        page.WaitForAssertion(() => Assert.Equal($"/machines/{machineId}",
            page.Find(".policy-machines a").GetAttribute("href")));
    }

    [Fact]
    public async Task A_viewer_sees_no_save_or_delete()
    {
        _authorization.SetPolicies(Policies.View);
        var policy = await _policies.SaveNewAsync(Input("Elastic web"));

        var (page, _) = RenderPage(policy.Id);

        page.WaitForAssertion(() => Assert.Contains("Only administrators can change machine policies.", page.Markup));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() is "Save" or "Delete");
    }

    private (IRenderedComponent<MachinePolicyPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPage(int? id)
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<MachinePolicyPage>(p => p.Add(x => x.Id, id));
        return (page, dialogs);
    }

    private static IEnumerable<IElement> Fields<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        cut.FindAll(".mud-input-control").Where(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    /// <summary>The MudBlazor input control whose label is <paramref name="label"/>: its input, label and messages.</summary>
    private static IElement Field<T>(IRenderedComponent<T> cut, string label) where T : IComponent => Fields(cut, label).Single();

    private static IElement FieldInput<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        Field(cut, label).QuerySelector("input, textarea")!;

    private static IElement Radio<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll(".mud-radio").Single(r => r.TextContent.Trim().StartsWith(text, StringComparison.Ordinal)).QuerySelector("input")!;

    private static IElement Button<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
