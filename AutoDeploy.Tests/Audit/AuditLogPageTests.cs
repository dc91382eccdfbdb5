using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Audit;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace AutoDeploy.Tests.Audit;

public sealed class AuditLogPageTests : MudBunitContext
{
    // Also drives MudBlazor's input debounce, so a typed filter is committed by advancing it, not by waiting.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddEventLog();
        AddAuthorization().SetAuthorized("alice@example.com");
        await using var db = _database.CreateDbContext();
        db.MachinePolicies.Add(MachinePolicy.CreateDefault());
        await db.SaveChangesAsync();
    }

    protected override async Task OnDisposedAsync() => await _database.DisposeAsync();

    private const string ActorInput = "input[data-testid='actor-filter'], [data-testid='actor-filter'] input";

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task Lists_events_newest_first_with_category_message_and_actor()
    {
        using (ActorContext.Use("alice@example.com"))
        {
            await RegisterAndDisableAsync("web-01");
        }

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(
            ["Machine 'web-01' was disabled", "Machine 'web-01' was added to 'Production' with roles web", "Environment 'Production' was created", "Machine policy 'Default Machine Policy' was created"],
            Messages(cut)));
        Assert.Equal(EventCategories.MachineDisabled, cut.Find("[data-category]").GetAttribute("data-category"));
        Assert.Equal("alice@example.com", cut.Find("td[data-label='Actor']").TextContent.Trim());
    }

    [Fact]
    public async Task Opening_the_address_with_a_category_shows_only_that_category()
    {
        await RegisterAndDisableAsync("web-01");
        Navigation.NavigateTo("/audit?category=MachineDisabled");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(["Machine 'web-01' was disabled"], Messages(cut)));
    }

    [Fact]
    public async Task Navigating_to_a_machines_address_reloads_with_that_machines_events()
    {
        await RegisterAndDisableAsync("web-01");
        var other = await RegisterAndDisableAsync("web-02", environmentName: "Test");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(7, Messages(cut).Count));

        await cut.InvokeAsync(() => Navigation.NavigateTo($"/audit?machine={other}"));

        cut.WaitForAssertion(() => Assert.Equal(
            ["Machine 'web-02' was disabled", "Machine 'web-02' was added to 'Test' with roles web"], Messages(cut)));
    }

    [Fact]
    public async Task Changing_the_actor_filter_puts_it_in_the_address()
    {
        await RegisterAndDisableAsync("web-01");
        var cut = RenderPage();

        cut.Find(ActorInput).Input("alice");

        _time.AdvanceUntil(TimeSpan.FromSeconds(1), cut, () => Assert.EndsWith("/audit?actor=alice", Navigation.Uri));
    }

    [Fact]
    public async Task A_machine_event_links_to_the_machine_page()
    {
        var machineId = await RegisterAndDisableAsync("web-01");
        Navigation.NavigateTo("/audit?category=MachineDisabled");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal($"Machine #{machineId}", cut.Find($"a[href='/machines/{machineId}']").TextContent.Trim()));
    }

    [Fact]
    public async Task Show_details_expands_the_row_with_indented_json()
    {
        await RegisterAndDisableAsync("web-01");
        Navigation.NavigateTo("/audit?category=MachineAdded");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(Messages(cut)));

        cut.Find("button[aria-label='Show details']").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"roles\": [\n    \"web\"\n  ]", cut.Find("[data-testid='event-details']").TextContent));
    }

    [Fact]
    public async Task Next_and_previous_page_through_the_log_without_counting_it()
    {
        // The default policy's event and three per machine (its environment, added, disabled): 28 events.
        for (var i = 1; i <= 9; i++)
        {
            await RegisterAndDisableAsync($"web-{i:00}", environmentName: $"Env {i}");
        }
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(25, Messages(cut).Count));
        Assert.Equal("1–25", Range(cut));
        Assert.Equal("Machine 'web-09' was disabled", Messages(cut)[0]);

        cut.Find("button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => Assert.Equal("26–28", Range(cut)));
        Assert.Equal("Machine policy 'Default Machine Policy' was created", Messages(cut)[^1]);
        Assert.True(cut.Find("button[aria-label='Next page']").HasAttribute("disabled"));

        cut.Find("button[aria-label='Previous page']").Click();

        cut.WaitForAssertion(() => Assert.Equal("1–25", Range(cut)));
        Assert.Equal("Machine 'web-09' was disabled", Messages(cut)[0]);
        Assert.True(cut.Find("button[aria-label='Previous page']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_prerendered_first_page_is_handed_to_the_circuit_which_shows_it_without_reading_again()
    {
        var state = AddBunitPersistentComponentState();
        await RegisterAndDisableAsync("web-01");
        var prerendered = RenderPage(interactive: false);
        Assert.Equal(4, Messages(prerendered).Count);

        state.TriggerOnPersisting();

        Assert.True(state.TryTake<EventLogPage>("audit", out var kept));
        Assert.Equal(Messages(prerendered), kept!.Events.Select(e => e.Message));
        // The circuit shows what was handed over: an event the database does not have proves it did not read again.
        var first = kept.Events[0];
        var handedOver = new Event { Id = first.Id, OccurredAt = first.OccurredAt, Category = first.Category, Actor = first.Actor, Message = "Handed over" };
        state.Persist("audit", new EventLogPage([handedOver], null));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var circuit = Render<AuditLogPage>();
        Assert.Equal(["Handed over"], Messages(circuit));
    }

    [Fact]
    public async Task A_first_page_too_large_for_the_circuits_first_message_is_not_handed_over()
    {
        var state = AddBunitPersistentComponentState();
        await using (var db = _database.CreateDbContext())
        {
            db.Events.AddRange(Enumerable.Range(1, 25).Select(i => new Event
            {
                Category = EventCategories.Created, Actor = "alice@example.com", Message = $"Event {i}",
                OccurredAt = _time.GetUtcNow(), DetailsJson = $"{{\"text\":\"{new string('x', 1000)}\"}}",
            }));
            await db.SaveChangesAsync();
        }
        var prerendered = RenderPage(interactive: false);
        Assert.Equal(25, Messages(prerendered).Count);

        state.TriggerOnPersisting();

        Assert.False(state.TryTake<EventLogPage>("audit", out _));
    }

    /// <param name="interactive">False: the prerender.</param>
    private IRenderedComponent<AuditLogPage> RenderPage(bool interactive = true)
    {
        SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
        Render<MudPopoverProvider>();
        return Render<AuditLogPage>();
    }

    private static string Range(IRenderedComponent<AuditLogPage> cut) => cut.Find("[data-testid='audit-pager-range']").TextContent.Trim();

    private static List<string> Messages(IRenderedComponent<AuditLogPage> cut) =>
        cut.FindAll("td[data-label='Message']").Select(td => td.TextContent.Trim()).ToList();

    private async Task<int> RegisterAndDisableAsync(string name, string environmentName = "Production")
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create(environmentName, null, 0);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        var policy = await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var machine = Machine.Register(name, [environment], ["web"], policy, _database.Time.GetUtcNow());
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        machine.Disable();
        await db.SaveChangesAsync();
        return machine.Id;
    }
}
