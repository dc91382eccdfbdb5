using System.Text.Json;
using Microsoft.AspNetCore.Components;

namespace AutoDeploy.Web.Components.Shared;

/// <summary>
/// What a page read while it prerendered, handed to its circuit: the circuit shows the same rows without reading them again,
/// and without a "loading" flash in between. Only when it is small. The state rides in the circuit's first SignalR message,
/// and a message over SignalR's limit (32 KB by default) ends the circuit before it starts; so a larger state is not kept,
/// and the circuit reads again. (Blazor's [PersistentState] attribute keeps any size, so a page of long event details
/// would have broken the screen.)
/// </summary>
public sealed class PrerenderHandOff<T>(PersistentComponentState state, string key) : IDisposable where T : class
{
    /// <summary>Half the message limit, leaving room for the rest of the first message.</summary>
    public const int MaxBytes = 16 * 1024;

    private PersistingComponentStateSubscription? _subscription;

    /// <summary>
    /// What the prerender kept, else what <paramref name="read"/> reads. While prerendering (not <paramref name="interactive"/>),
    /// what was read is kept for the circuit.
    /// </summary>
    public async Task<T> TakeOrReadAsync(bool interactive, Func<Task<T>> read)
    {
        if (state.TryTakeFromJson<T>(key, out var kept) && kept is not null)
        {
            return kept;
        }
        var value = await read();
        if (!interactive)
        {
            Keep(value);
        }
        return value;
    }

    private void Keep(T value)
    {
        _subscription?.Dispose();
        _subscription = state.RegisterOnPersisting(() =>
        {
            if (JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web).Length <= MaxBytes)
            {
                state.PersistAsJson(key, value);
            }
            return Task.CompletedTask;
        });
    }

    public void Dispose() => _subscription?.Dispose();
}
