using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Agent;

/// <summary>
/// <c>wait-ready</c>: asks the server every <see cref="Interval"/> whether this machine has every release its triggers say
/// it should, printing the answer whenever it changes, until it is Ready (<see cref="ExitCodes.Done"/>), Failed
/// (<see cref="ExitCodes.DeploymentFailed"/>), Blocked (<see cref="ExitCodes.DeploymentBlocked"/>) or the timeout passes
/// (<see cref="ExitCodes.NotReadyInTime"/>). A server that is down or answers 5xx is retried with back-off until then.
/// </summary>
public sealed class ReadinessWaiter(AgentClient client, TimeProvider time, TextWriter output, TextWriter error, AgentRunnerOptions? options = null)
{
    /// <summary>How often the server is asked: a wait on the clock, not a busy loop, so it is the same on any machine.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public async Task<int> WaitAsync(TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
        var retry = new ServerRetry(time, options ?? new AgentRunnerOptions(), Log);
        MachineReadiness? last = null;
        try
        {
            while (true)
            {
                var readiness = await retry.CallAsync("asking whether this machine is ready", client.ReadinessAsync, waiting.Token);
                if (readiness.Summary != last?.Summary)
                {
                    Log(readiness.Summary);
                }
                last = readiness;
                switch (readiness.State)
                {
                    case ReadinessState.Ready:
                        return ExitCodes.Done;
                    case ReadinessState.Failed:
                        return ExitCodes.DeploymentFailed;
                    case ReadinessState.Blocked:
                        return ExitCodes.DeploymentBlocked;
                }
                await Task.Delay(Interval, time, waiting.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            error.WriteLine($"Not ready within {Timeouts.Format(timeout)}. "
                + (last is null ? "The server gave no answer." : $"The last answer: {last.Summary}"));
            return ExitCodes.NotReadyInTime;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            error.WriteLine("Stopped before the machine was ready.");
            return ExitCodes.Failed;
        }
        catch (TokenRefusedException)
        {
            error.WriteLine(TokenRefusedException.Explanation);
            return ExitCodes.TokenRefused;
        }
        catch (ServerNotTrustedException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.ServerNotTrusted;
        }
        catch (AgentRequestException e)
        {
            error.WriteLine($"The server did not say whether this machine is ready: {e.Message}.");
            return ExitCodes.Failed;
        }
    }

    private void Log(string message) => output.WriteLine($"{time.GetLocalNow():yyyy-MM-dd HH:mm:ss} {message}");
}
