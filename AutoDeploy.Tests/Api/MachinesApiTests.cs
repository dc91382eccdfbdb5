using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// <c>/api/machines</c>: registration, validation and answers. Its subject is the API; machines on PostgreSQL are the
/// registration, fleet and readiness tests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class MachinesApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateApiClient();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        await _database.AddEnvironmentAsync("Production");
        await _database.AddEnvironmentAsync("Test");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Register_answers_201_with_the_machine_id_and_its_token()
    {
        var response = await RegisterAsync("web-01", ["Production"], ["web"]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<RegistrationResponse>(Json);
        Assert.Equal($"/api/machines/{body!.MachineId}", response.Headers.Location!.OriginalString);
        Assert.False(string.IsNullOrEmpty(body.Token));
    }

    [Fact]
    public async Task Register_with_unknown_environments_answers_400_naming_them()
    {
        var response = await RegisterAsync("web-01", ["Prod", "Test", "QA"], ["web"]);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Unknown environments: 'Prod', 'QA'."], problem.Errors["environments"]);
    }

    [Fact]
    public async Task Register_with_invalid_fields_answers_400_with_every_message()
    {
        var response = await RegisterAsync("", [], ["Web"]);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["environments", "name", "roles"], problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task Register_with_a_taken_name_answers_409()
    {
        await RegisterAsync("web-01", ["Production"], ["web"]);

        var response = await RegisterAsync("WEB-01", ["Test"], ["web"]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Register_without_an_api_key_answers_401()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/machines/register", new { name = "web-01", environments = new[] { "Production" } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_viewer_can_list_machines_but_not_register_one()
    {
        var viewer = await _app.CreateViewerClientAsync();

        var list = await viewer.GetAsync("/api/machines");
        var register = await viewer.PostAsJsonAsync("/api/machines/register", new { name = "web-01", environments = new[] { "Production" } });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (list.StatusCode, register.StatusCode));
    }

    [Fact]
    public async Task List_filters_by_environment_name_and_role()
    {
        await RegisterAsync("web-01", ["Production"], ["web"]);
        await RegisterAsync("worker-01", ["Production"], ["worker"]);
        await RegisterAsync("web-test", ["Test"], ["web"]);

        var list = await _client.GetFromJsonAsync<MachineList>("/api/machines?environment=production&role=web", Json);

        Assert.Equal(["web-01"], list!.Items.Select(i => i.Name));
        Assert.Equal(1, list.Total);
    }

    [Fact]
    public async Task List_pages_with_skip_and_take()
    {
        foreach (var name in new[] { "m-1", "m-2", "m-3" })
        {
            await RegisterAsync(name, ["Production"], ["web"]);
        }

        var list = await _client.GetFromJsonAsync<MachineList>("/api/machines?skip=1&take=1", Json);

        Assert.Equal(["m-2"], list!.Items.Select(i => i.Name));
        Assert.Equal(3, list.Total);
    }

    [Fact]
    public async Task List_with_an_unknown_health_status_answers_400()
    {
        var response = await _client.GetAsync("/api/machines?health=Sleepy");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Healthy", problem.Errors["health"][0]);
    }

    [Fact]
    public async Task Get_of_an_unknown_machine_answers_404()
    {
        var response = await _client.GetAsync("/api/machines/404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Put_changes_the_roles_and_records_MachineDeploymentRelatedPropertyWasUpdated()
    {
        var machine = await RegisteredAsync("web-01");

        var response = await _client.PutAsJsonAsync($"/api/machines/{machine.Id}", new
        {
            name = machine.Name, environmentIds = machine.Environments.Select(e => e.Id), roles = new[] { "web", "worker" }, version = machine.Version,
        });

        var updated = await response.Content.ReadFromJsonAsync<MachineDetails>(Json);
        Assert.Equal(["web", "worker"], updated!.Roles);
        Assert.Equal(EventCategories.MachineDeploymentRelatedPropertyWasUpdated, updated.RecentEvents[0].Category);
    }

    [Fact]
    public async Task Put_with_isEnabled_false_disables_the_machine()
    {
        var machine = await RegisteredAsync("web-01");

        var response = await _client.PutAsJsonAsync($"/api/machines/{machine.Id}", new
        {
            name = machine.Name, environmentIds = machine.Environments.Select(e => e.Id), roles = machine.Roles, isEnabled = false,
        });

        var updated = await response.Content.ReadFromJsonAsync<MachineDetails>(Json);
        Assert.False(updated!.IsEnabled);
    }

    [Fact]
    public async Task Put_with_a_stale_version_answers_409()
    {
        var machine = await RegisteredAsync("web-01");
        var body = new { name = machine.Name, environmentIds = machine.Environments.Select(e => e.Id), roles = new[] { "db" }, version = machine.Version };
        await _client.PutAsJsonAsync($"/api/machines/{machine.Id}", body);

        var response = await _client.PutAsJsonAsync($"/api/machines/{machine.Id}", body with { roles = new[] { "api" } });

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("Stale version", problem.Title);
    }

    [Fact]
    public async Task Put_with_invalid_fields_answers_400_with_every_message()
    {
        var machine = await RegisteredAsync("web-01");

        var response = await _client.PutAsJsonAsync($"/api/machines/{machine.Id}", new { name = "", environmentIds = Array.Empty<int>(), roles = new[] { "Web" } });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["environmentIds", "name", "roles"], problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task Delete_answers_204_and_the_machine_is_gone()
    {
        var machine = await RegisteredAsync("web-01");

        var response = await _client.DeleteAsync($"/api/machines/{machine.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/machines/{machine.Id}")).StatusCode);
    }

    [Fact]
    public async Task Disable_and_enable_answer_the_machine_and_record_their_events()
    {
        var machine = await RegisteredAsync("web-01");

        var disabled = await _client.PostAsync($"/api/machines/{machine.Id}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.False((await disabled.Content.ReadFromJsonAsync<MachineDetails>(Json))!.IsEnabled);
        var enabled = await _client.PostAsync($"/api/machines/{machine.Id}/enable", null);
        Assert.True((await enabled.Content.ReadFromJsonAsync<MachineDetails>(Json))!.IsEnabled);

        await using var db = await _database.CreateDbContextAsync();
        var categories = await db.Events.Where(e => e.MachineId == machine.Id).OrderBy(e => e.Id).Select(e => e.Category).ToListAsync();
        Assert.Equal([EventCategories.MachineDisabled, EventCategories.MachineEnabled], categories.TakeLast(2));
    }

    [Fact]
    public async Task Disable_of_an_unknown_machine_is_404_and_a_viewer_may_not()
    {
        var machine = await RegisteredAsync("web-01");

        await ProblemAsync(await _client.PostAsync("/api/machines/987654/disable", null), HttpStatusCode.NotFound);
        var viewer = await _app.CreateViewerClientAsync();
        await ProblemAsync(await viewer.PostAsync($"/api/machines/{machine.Id}/disable", null), HttpStatusCode.Forbidden);
    }

    private Task<HttpResponseMessage> RegisterAsync(string name, string[] environments, string[] roles) =>
        _client.PostAsJsonAsync("/api/machines/register", new { name, environments, roles, agentVersion = "1.0.0" });

    private async Task<MachineDetails> RegisteredAsync(string name)
    {
        var registration = await (await RegisterAsync(name, ["Production"], ["web"])).Content.ReadFromJsonAsync<RegistrationResponse>(Json);
        return (await _client.GetFromJsonAsync<MachineDetails>($"/api/machines/{registration!.MachineId}", Json))!;
    }
}
