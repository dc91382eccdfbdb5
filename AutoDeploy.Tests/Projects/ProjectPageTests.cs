using AngleSharp.Dom;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Projects;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using Bunit;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static AutoDeploy.Tests.Projects.ProjectTestData;

namespace AutoDeploy.Tests.Projects;

public sealed class ProjectPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<IValidator<ProjectInput>, ProjectInputValidator>();
        Services.AddSingleton<IValidator<ReleaseInput>, ReleaseInputValidator>();
        Services.AddSingleton(TestSecrets.Protector);
        Services.AddProjects();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.Deploy);
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_step_added_through_the_dialog_appears_in_the_process()
    {
        var project = await ProjectService(_database).SaveNewAsync(Input("Shop"));
        var (page, dialogs) = RenderPage(project.Id);

        page.WaitForAssertion(() => Button(page, "Add step"));
        Button(page, "Add step").Click();
        dialogs.WaitForElement(".mud-dialog");
        FieldInput(dialogs, "Name").Input("Deploy");
        FieldInput(dialogs, "Roles").Input("web");
        dialogs.Find("button[aria-label='Add role']").Click();
        FieldInput(dialogs, "Script (bash)").Input("echo deploying");
        Button(dialogs, "Save step").Click();

        page.WaitForAssertion(() => Assert.Contains("Deploy", page.Find(".steps-table .step-row").TextContent));
        Assert.Contains("web", page.Find(".steps-table .step-row").TextContent);
    }

    [Fact]
    public async Task A_step_without_a_role_shows_the_message_beside_the_roles_field()
    {
        var project = await ProjectService(_database).SaveNewAsync(Input("Shop"));
        var (page, dialogs) = RenderPage(project.Id);

        page.WaitForAssertion(() => Button(page, "Add step"));
        Button(page, "Add step").Click();
        dialogs.WaitForElement(".mud-dialog");
        FieldInput(dialogs, "Name").Input("Migrate");
        FieldInput(dialogs, "Script (bash)").Input("echo migrating");
        Button(dialogs, "Save step").Click();

        dialogs.WaitForAssertion(() =>
            Assert.Contains("Step 1 'Migrate': choose at least one role.", Field(dialogs, "Roles").TextContent));
    }

    [Fact]
    public async Task Saving_an_empty_name_shows_the_message_beside_the_name_on_the_settings_tab()
    {
        var project = await ProjectService(_database).SaveNewAsync(Input("Shop"));
        var (page, _) = RenderPage(project.Id);
        page.WaitForAssertion(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Settings").Click());

        FieldInput(page, "Name").Input("");
        Button(page, "Save").Click();

        page.WaitForAssertion(() => Assert.Contains("Name is required.", Field(page, "Name").TextContent));
        Assert.Equal("Shop", (await ProjectService(_database).GetAsync(project.Id))!.Name);
    }

    [Fact]
    public async Task Saving_over_someone_elses_change_says_so_and_keeps_the_input()
    {
        var service = ProjectService(_database);
        var project = await service.SaveNewAsync(Input("Shop"));
        var (page, _) = RenderPage(project.Id);
        page.WaitForAssertion(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Settings").Click());
        page.WaitForAssertion(() => Assert.Equal("Shop", FieldInput(page, "Name").GetAttribute("value")));
        var theirs = project.ToInput();
        theirs.Description = "Theirs";
        await service.UpdateAsync(project.Id, theirs, project.Version);

        // Found and clicked on the renderer's thread: a render in between would leave a stale event handler.
        await page.InvokeAsync(() => FieldInput(page, "Description").Input("Mine"));
        await page.InvokeAsync(() => Button(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Contains("Someone else changed this project", page.Find("[role=alert]").TextContent));
        Assert.Equal("Mine", FieldInput(page, "Description").TextContent);
    }

    [Fact]
    public async Task Archive_asks_first_then_marks_the_project_archived_and_Restore_brings_it_back()
    {
        var project = await ProjectService(_database).SaveNewAsync(Input("Shop"));
        var (page, dialogs) = RenderPage(project.Id);
        page.WaitForAssertion(() => Button(page, "Archive"));

        await page.InvokeAsync(() => Button(page, "Archive").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("its triggers are ignored", dialogs.Find(".mud-dialog").TextContent));
        await dialogs.InvokeAsync(() => Button(dialogs, "Archive").Click());

        page.WaitForAssertion(() => Assert.Contains("This project is archived", page.Markup));
        Assert.True((await ProjectService(_database).GetAsync(project.Id))!.IsArchived);
        await page.InvokeAsync(() => Button(page, "Restore").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain("This project is archived", page.Markup));
        Assert.False((await ProjectService(_database).GetAsync(project.Id))!.IsArchived);
    }

    private (IRenderedComponent<ProjectPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPage(int id)
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ProjectPage>(p => p.Add(x => x.Id, id));
        return (page, dialogs);
    }

    /// <summary>The MudBlazor input control whose label is <paramref name="label"/>: its input, label and messages.</summary>
    private static IElement Field<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    private static IElement FieldInput<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        Field(cut, label).QuerySelector("input, textarea")!;

    private static IElement Button<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
