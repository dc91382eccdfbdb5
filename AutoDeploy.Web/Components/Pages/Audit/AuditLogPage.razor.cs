using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace AutoDeploy.Web.Components.Pages.Audit;

/// <summary>
/// The audit log: every event, newest first, a page at a time from the server. The filters live in the
/// address (see <see cref="AuditLogQuery"/>): changing one navigates, and every navigation reloads page 1.
/// </summary>
public sealed partial class AuditLogPage(EventLogService eventLog, NavigationManager navigation) : IDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];

    private readonly HashSet<long> _expanded = [];
    private MudTable<Event>? _table;
    private EventLogFilter _filter = EventLogFilter.None;
    private DateRange? _dateRange;

    protected override void OnInitialized()
    {
        Show(AuditLogQuery.Parse(navigation.Uri));
        navigation.LocationChanged += OnLocationChanged;
    }

    public void Dispose() => navigation.LocationChanged -= OnLocationChanged;

    private async Task<TableData<Event>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await eventLog.GetPageAsync(_filter, state.Page * state.PageSize, state.PageSize, cancellationToken);
        return new TableData<Event> { Items = page.Events, TotalItems = page.TotalCount };
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

    private void ToggleDetails(long id)
    {
        if (!_expanded.Remove(id))
        {
            _expanded.Add(id);
        }
    }

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
                await ReloadFirstPageAsync();
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

    private async Task ReloadFirstPageAsync()
    {
        if (_table is null)
        {
            return;
        }
        if (_table.CurrentPage == 0)
        {
            await _table.ReloadServerData();
        }
        else
        {
            _table.NavigateTo(0);
        }
    }

}
