using System.Diagnostics;
using Bunit;
using Bunit.Extensions.WaitForHelpers;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Passes a MudBlazor input's debounce interval on a fake clock.</summary>
public static class DebounceClock
{
    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="interval"/> until <paramref name="assertion"/> holds on
    /// <paramref name="component"/>, for up to 10 s of real time. The input schedules its debounce timer after an await,
    /// so a single advance right after typing can come before the timer exists (beside a CPU hog it did), and a fake
    /// clock that has already moved never fires it.
    /// </summary>
    public static void AdvanceUntil<TComponent>(this FakeTimeProvider clock, TimeSpan interval, IRenderedComponent<TComponent> component, Action assertion)
        where TComponent : IComponent
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            clock.Advance(interval);
            try
            {
                component.WaitForAssertion(assertion, TimeSpan.FromMilliseconds(250));
                return;
            }
            catch (WaitForFailedException) when (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
            }
        }
    }
}
