using Microsoft.AspNetCore.Components;

namespace AutoDeploy.Web.Components.Shared;

/// <summary>
/// The rows of one page of a list the page loads itself (with <see cref="ListPager"/>). They draw again only for a new
/// page, or when a subclass asks (<see cref="Redraw"/>): while the next page loads, the screen around them (filters,
/// pager, loading bar) changes, and drawing every row for that too made the next page up to twice as slow.
/// </summary>
public abstract class PageOfRows<TPage> : ComponentBase where TPage : class
{
    private TPage? _drawn;

    [Parameter, EditorRequired] public TPage Page { get; set; } = null!;

    /// <summary>Draws the same page again at the next render, after a change of the rows' own (a row opened).</summary>
    protected void Redraw() => _drawn = null;

    protected override bool ShouldRender() => !ReferenceEquals(Page, _drawn);

    protected override void OnAfterRender(bool firstRender) => _drawn = Page;
}
