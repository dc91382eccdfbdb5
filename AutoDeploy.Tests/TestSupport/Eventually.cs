namespace AutoDeploy.Tests.TestSupport;

/// <summary>Awaits a condition with a timeout: for outcomes another thread or process produces.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Condition not met within {timeout ?? TimeSpan.FromSeconds(30)}{(because is null ? "" : $": {because}")}.");
            }
        }
    }
}
