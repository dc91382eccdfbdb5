using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Components.Pages.ActivityFeed;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.Feed.ActivityTestData;

namespace AutoDeploy.Tests.Feed;

public sealed class ActivityPageTests : FeedComponentContext
{
    [Fact]
    public async Task A_link_naming_a_machine_opens_the_feed_filtered_to_it()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/activity?machine=5");
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<ActivityPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='no-activity']")), Wait);

        await Feed.PublishAsync(
            Event(101, EventCategories.MachineHealthy, "web-06 is healthy", machineId: 6),
            Event(102, EventCategories.MachineHealthy, "web-05 is healthy", machineId: 5));

        page.WaitForAssertion(() => Assert.Equal(["web-05 is healthy"],
            page.FindAll(".activity-message").Select(m => m.TextContent.Trim())), Wait);
    }
}
