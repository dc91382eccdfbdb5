using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Components.Pages.ActivityFeed;

public sealed record ActivityChoice(int Id, string Name);

/// <summary>The projects, environments and machines the activity page can filter on, by name.</summary>
public sealed record ActivityFilterChoices(
    IReadOnlyList<ActivityChoice> Projects, IReadOnlyList<ActivityChoice> Environments, IReadOnlyList<ActivityChoice> Machines)
{
    public static readonly ActivityFilterChoices None = new([], [], []);

    public static async Task<ActivityFilterChoices> LoadAsync(IDbContextFactory<AutoDeployDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var projects = await db.Projects.OrderBy(p => p.Name).Select(p => new ActivityChoice(p.Id, p.Name)).ToListAsync();
        var environments = await db.Environments.OrderBy(e => e.SortOrder).ThenBy(e => e.Id)
            .Select(e => new ActivityChoice(e.Id, e.Name)).ToListAsync();
        var machines = await db.Machines.OrderBy(m => m.Name).Select(m => new ActivityChoice(m.Id, m.Name)).ToListAsync();
        return new ActivityFilterChoices(projects, environments, machines);
    }
}
