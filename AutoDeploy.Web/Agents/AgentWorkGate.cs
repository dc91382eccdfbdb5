using AutoDeploy.Web.Workers;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Agents;

/// <summary>
/// Bounds how many agent calls use the database at once on this node (<see cref="TaskOptions.MaxConcurrentAgentWork"/>).
/// A job for 10,000 machines wakes 10,000 held polls in the same instant, and their completions follow together. Without
/// a bound each opened a connection: on SQLite a file handle or three apiece, which ran the process out of handles and
/// crashed it; on PostgreSQL the pool's waits time out. The rest wait here, in order, for a few milliseconds each.
/// A holder never asks for a second slot (each section is one unit of work), so the gate cannot deadlock.
/// </summary>
public sealed class AgentWorkGate(IOptions<TaskOptions> options)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentAgentWork));

    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    /// <summary>Free slots now: for tests.</summary>
    public int Free => _slots.CurrentCount;

    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}

/// <summary>Runs an agent endpoint's handler within the <see cref="AgentWorkGate"/>.</summary>
public sealed class AgentWorkFilter(AgentWorkGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var slot = await gate.EnterAsync(context.HttpContext.RequestAborted);
        return await next(context);
    }
}
