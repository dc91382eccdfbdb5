using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.ActivityFeed;
using Bunit;
using MudBlazor;

namespace AutoDeploy.Tests.Feed;

/// <summary>The activity page's project, environment and machine filters: found by typing, however many there are.</summary>
public sealed class ActivityDocumentFilterTests : MudBunitContext
{
    private static readonly List<ActivityChoice> Machines =
        Enumerable.Range(1, 1000).Select(i => new ActivityChoice(i, $"web-{i:0000}")).ToList();

    [Fact]
    public void Typing_part_of_a_name_offers_the_matching_choices_and_picking_one_sets_the_filter()
    {
        var popover = Render<MudPopoverProvider>();
        int? chosen = null;
        var filter = RenderFilter(value => chosen = value);

        filter.Find("input").Input("web-005");

        popover.WaitForAssertion(() => Assert.Equal(
            ["web-0050", "web-0051", "web-0052", "web-0053", "web-0054", "web-0055", "web-0056", "web-0057", "web-0058", "web-0059"],
            Offered(popover)));
        popover.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == "web-0053").Click();
        filter.WaitForAssertion(() => Assert.Equal(53, chosen));
    }

    [Fact]
    public void A_loose_search_offers_only_the_first_few_of_a_thousand()
    {
        var popover = Render<MudPopoverProvider>();
        var filter = RenderFilter(_ => { });

        filter.Find("input").Input("web");

        popover.WaitForAssertion(() => Assert.Equal(
            Machines.Take(ActivityDocumentFilter.MaxShown).Select(m => m.Name), Offered(popover)));
    }

    private IRenderedComponent<ActivityDocumentFilter> RenderFilter(Action<int?> changed) =>
        Render<ActivityDocumentFilter>(p => p
            .Add(f => f.Label, "Machine")
            .Add(f => f.TestId, "machine-filter")
            .Add(f => f.Choices, Machines)
            .Add(f => f.ValueChanged, changed));

    private static List<string> Offered(IRenderedComponent<MudPopoverProvider> popover) =>
        popover.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToList();
}
