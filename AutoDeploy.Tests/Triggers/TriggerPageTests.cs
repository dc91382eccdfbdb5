using AngleSharp.Dom;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Bunit;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static AutoDeploy.Tests.Triggers.TriggerTestData;

namespace AutoDeploy.Tests.Triggers;

public sealed class TriggerPageTests : MudBunitContext
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
        Services.AddTriggers();
        Services.AddAutoDeployDecisions();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.Deploy);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public void Each_event_group_checkbox_shows_its_member_categories()
    {
        var page = RenderNew();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".trigger-event-group")));
        foreach (var (group, members) in EventGroups.Members)
        {
            var shown = page.Find($".trigger-event-group[data-group='{group}']");
            Assert.Equal(group, shown.QuerySelector("label")!.TextContent.Trim());
            Assert.Equal(members, shown.QuerySelectorAll(".trigger-event-members .mud-chip").Select(c => c.TextContent.Trim()));
        }
    }

    [Fact]
    public async Task Saving_with_no_event_chosen_shows_the_message_beside_the_events_and_saves_nothing()
    {
        var page = RenderNew();
        page.WaitForAssertion(() => FieldInput(page, "Name"));
        FieldInput(page, "Name").Input("Web servers");

        GroupCheckbox(page, EventGroups.MachineAvailableForDeployment).Change(false);
        Button(page, "Save").Click();

        page.WaitForAssertion(() => Assert.Equal("Choose at least one event group or category.",
            page.Find(".trigger-events-section .trigger-events-error").TextContent.Trim()));
        Assert.Empty((await TriggerService(_database).ListAsync(_scenario.Project.Id))!);
    }

    [Fact]
    public async Task Saving_a_new_trigger_stores_the_chosen_group_and_role()
    {
        var page = RenderNew();
        page.WaitForAssertion(() => FieldInput(page, "Name"));
        FieldInput(page, "Name").Input("Web servers");
        GroupCheckbox(page, EventGroups.MachineHealthChanged).Change(true);
        FieldInput(page, "Add a role").Input("web");
        Button(page, "Add role").Click();

        Button(page, "Save").Click();

        var saved = await WaitForTriggerAsync(page);
        Assert.Equal([EventGroups.MachineAvailableForDeployment, EventGroups.MachineHealthChanged], saved.EventGroups);
        Assert.Equal(["web"], saved.Roles);
    }

    [Fact]
    public async Task A_leave_hook_is_chosen_explained_and_saved_and_refuses_arrival_events_beside_them()
    {
        var page = RenderNew();
        page.WaitForAssertion(() => FieldInput(page, "Name"));
        FieldInput(page, "Name").Input("LB deregister");
        page.FindAll("[data-testid='trigger-action'] input[type='radio']")[1].Click();
        page.WaitForAssertion(() => Assert.Contains("AUTODEPLOY_LEAVING_MACHINE", page.Find("[data-testid='leave-hook-help']").TextContent));

        Button(page, "Save").Click();
        page.WaitForAssertion(() => Assert.Equal(TriggerInputValidator.LeaveEventsMessage,
            page.Find(".trigger-events-section .trigger-events-error").TextContent.Trim()));
        GroupCheckbox(page, EventGroups.MachineUnavailableForDeployment).Change(true);
        Button(page, "Save").Click();

        var saved = await WaitForTriggerAsync(page);
        Assert.Equal(TriggerAction.RunOnOtherMachines, saved.Action);
    }

    [Fact]
    public async Task Saving_over_someone_elses_change_says_so_and_keeps_the_input()
    {
        var service = TriggerService(_database);
        var trigger = await service.SaveNewAsync(_scenario.Project.Id, Input("Web servers"));
        var page = Render<TriggerPage>(p => p.Add(x => x.Id, trigger.Id));
        page.WaitForAssertion(() => Assert.Equal("Web servers", FieldInput(page, "Name").GetAttribute("value")));
        var theirs = trigger.ToInput();
        theirs.Description = "Theirs";
        await service.UpdateAsync(trigger.Id, theirs, trigger.Version);

        // Found and clicked on the renderer's thread: a render in between would leave a stale event handler.
        await page.InvokeAsync(() => FieldInput(page, "Description").Input("Mine"));
        await page.InvokeAsync(() => Button(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Contains("Someone else changed this trigger", page.Find(".trigger-problem").TextContent));
        Assert.Equal("Mine", FieldInput(page, "Description").TextContent);
    }

    private IRenderedComponent<TriggerPage> RenderNew()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        return Render<TriggerPage>(p => p.Add(x => x.ProjectId, _scenario.Project.Id));
    }

    private async Task<TriggerDetails> WaitForTriggerAsync(IRenderedComponent<TriggerPage> page)
    {
        page.WaitForAssertion(() => Assert.Contains("/triggers/", Services.GetRequiredService<NavigationManager>().Uri));
        return Assert.Single((await TriggerService(_database).ListAsync(_scenario.Project.Id))!);
    }

    private static IElement GroupCheckbox(IRenderedComponent<TriggerPage> page, string group) =>
        page.Find($".trigger-event-group[data-group='{group}'] input[type=checkbox]");

    private static IElement Field(IRenderedComponent<TriggerPage> cut, string label) =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    private static IElement FieldInput(IRenderedComponent<TriggerPage> cut, string label) =>
        Field(cut, label).QuerySelector("input, textarea")!;

    private static IElement Button(IRenderedComponent<TriggerPage> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
