namespace AutoDeploy.Agent;

/// <summary>
/// Repeats a call while the server is unavailable, with exponential back-off, printing one line per failure;
/// any other outcome (an answer, a refusal, cancellation) ends it.
/// </summary>
public sealed class ServerRetry(TimeProvider time, AgentRunnerOptions options, Action<string> log)
{
    public async Task<T> CallAsync<T>(string doing, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var backoff = new Backoff(options.RetryInitialDelay, options.RetryMaxDelay);
        while (true)
        {
            try
            {
                var result = await call(ct);
                if (backoff.Failures > 0)
                {
                    log($"The server answers again ({doing}).");
                }
                return result;
            }
            catch (ServerUnavailableException e)
            {
                var delay = backoff.NextDelay();
                log($"Server unavailable while {doing}: {e.Message}. Retrying in {delay.TotalSeconds:0.0} s.");
                await Task.Delay(delay, time, ct);
            }
        }
    }

    public Task CallAsync(string doing, Func<CancellationToken, Task> call, CancellationToken ct) =>
        CallAsync(doing, async c => { await call(c); return true; }, ct);
}
