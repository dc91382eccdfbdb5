using System.Runtime;

namespace AutoDeploy.Bench;

/// <summary>Waits until the JIT has compiled nothing for a while: the tiered compiler's backlog after a warm-up is done.</summary>
public static class JitQuiet
{
    public static async Task WaitAsync(TimeSpan quietFor, TimeSpan atMost)
    {
        using var limit = new CancellationTokenSource(atMost);
        var compiled = JitInfo.GetCompiledMethodCount();
        while (!limit.IsCancellationRequested)
        {
            await Task.Delay(quietFor, CancellationToken.None);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == compiled)
            {
                return;
            }
            compiled = now;
        }
    }
}
