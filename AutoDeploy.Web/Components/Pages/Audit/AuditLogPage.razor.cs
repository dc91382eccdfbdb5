using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Components.Shared;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.Audit;

/// <summary>
/// The audit log: every event, newest first, a page at a time from the server (keyset paging: next and previous, no
/// count of a million events). The filters live in the address (see <see cref="AuditLogQuery"/>): changing one
/// navigates, and every navigation reloads page 1. The first page is in the prerendered page, and the circuit takes it over
/// (<see cref="PrerenderHandOff{T}"/>).
/// </summary>
public sealed partial class AuditLogPage(EventLogService eventLog, NavigationManager navigation, PersistentComponentState persistentState)
    : IDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];

    /// <summary>Where each page shown so far starts, the current one last (null: the newest event).</summary>
    private readonly List<long?> _cursors = [null];
    private EventLogFilter _filter = EventLogFilter.None;
    private DateRange? _dateRange;
    private EventLogPage? _page;
    private int _pageSize = PageSizes[0];
    private bool _loading;

    private PrerenderHandOff<EventLogPage>? _handOff;

    protected override async Task OnInitializedAsync()
    {
        Show(AuditLogQuery.Parse(navigation.Uri));
        navigation.LocationChanged += OnLocationChanged;
        _handOff = new PrerenderHandOff<EventLogPage>(persistentState, "audit");
        _page = await _handOff.TakeOrReadAsync(RendererInfo.IsInteractive, () => eventLog.GetPageAsync(_filter, null, _pageSize));
    }

    public void Dispose()
    {
        navigation.LocationChanged -= OnLocationChanged;
        _handOff?.Dispose();
    }

    private Task NextAsync()
    {
        if (_page?.NextBefore is not { } next)
        {
            return Task.CompletedTask;
        }
        _cursors.Add(next);
        return LoadAsync();
    }

    private Task PreviousAsync()
    {
        _cursors.RemoveAt(_cursors.Count - 1);
        return LoadAsync();
    }

    private Task PageSizeChangedAsync(int size)
    {
        _pageSize = size;
        return FirstPageAsync();
    }

    private Task FirstPageAsync()
    {
        _cursors.Clear();
        _cursors.Add(null);
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            _page = await eventLog.GetPageAsync(_filter, _cursors[^1], _pageSize);
        }
        finally
        {
            _loading = false;
        }
    }

    private Task OnCategoriesChangedAsync(IEnumerable<string?>? categories) =>
        NavigateAsync(_filter with { Categories = (categories ?? []).OfType<string>().ToList() });

    private Task OnDocumentTypeChangedAsync(string? type) =>
        NavigateAsync(_filter with { DocumentType = type, DocumentId = type is null ? null : _filter.DocumentId });

    private Task OnDocumentIdChangedAsync(int? id) => NavigateAsync(_filter with { DocumentId = id is > 0 ? id : null });

    private Task OnDateRangeChangedAsync(DateRange? range) => NavigateAsync(_filter with
    {
        From = range?.Start is { } start ? DateOnly.FromDateTime(start) : null,
        To = range?.End is { } end ? DateOnly.FromDateTime(end) : null,
    });

    private Task OnActorChangedAsync(string? actor) =>
        NavigateAsync(_filter with { Actor = string.IsNullOrWhiteSpace(actor) ? null : actor.Trim() });

    /// <summary>The address is the one source of the filters, so links, reloads and Back all show the same log.</summary>
    private Task NavigateAsync(EventLogFilter filter)
    {
        navigation.NavigateTo(AuditLogQuery.ToUri(filter));
        return Task.CompletedTask;
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = new Uri(e.Location).AbsolutePath;
        if (!string.Equals(path.TrimEnd('/'), AuditLogQuery.Path, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var filter = AuditLogQuery.Parse(e.Location);
        if (filter.SameAs(_filter))
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            try
            {
                Show(filter);
                await FirstPageAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                // An event handler has no caller to throw to: hand the failure to the circuit like any render error.
                await DispatchExceptionAsync(ex);
            }
        });
    }

    private void Show(EventLogFilter filter)
    {
        _filter = filter;
        _dateRange = filter.From is null && filter.To is null
            ? null
            : new DateRange(filter.From?.ToDateTime(TimeOnly.MinValue), filter.To?.ToDateTime(TimeOnly.MinValue));
    }
}
