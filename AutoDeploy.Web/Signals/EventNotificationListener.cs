using Npgsql;

namespace AutoDeploy.Web.Signals;

/// <summary>
/// Cross-node wake-ups on PostgreSQL: LISTENs on a connection of its own for the NOTIFY that every commit with events
/// sends, and wakes this node's engine, task worker and activity feed at once, whichever node committed. It reconnects when the
/// connection drops (and then wakes them once, for what it may have missed); their periodic scans stay the fallback.
/// It also hears the keyed wake-ups other nodes relay (<see cref="WakeRelay"/>).
/// </summary>
public sealed class EventNotificationListener(
    string connectionString, TaskSignals signals, TimeProvider time, ILogger<EventNotificationListener> logger) : BackgroundService
{
    /// <summary>The channel every node LISTENs on: a transaction that appended events committed (on any node).</summary>
    public const string EventsChannel = "autodeploy_events";

    /// <summary>How long the connection may stay silent before it is checked with a query.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Counts the notifications received; tests and diagnostics read it.</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Lost the event notification connection ({Message}); reconnecting in {Delay} s",
                    ex.Message, retryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(retryDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, notification) =>
        {
            Interlocked.Increment(ref _received);
            if (notification.Channel == WakeRelay.Channel)
            {
                WakeRelay.Deliver(notification.Payload, signals);
            }
            else
            {
                Wake();
            }
        };
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {EventsChannel}; LISTEN {WakeRelay.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        logger.LogInformation("Listening for events committed by any node");
        // Whatever was committed while this node was not listening is found by one pass now.
        Wake();
        while (true)
        {
            if (!await connection.WaitAsync(ProbeInterval, stoppingToken))
            {
                // A quiet connection may be a dead one (no FIN from a vanished server): a query finds out.
                await using var probe = new NpgsqlCommand("SELECT 1", connection);
                await probe.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void Wake()
    {
        signals.Events.Notify(0);
        signals.Queue.Notify(0);
        signals.Feed.Notify(0);
        signals.Subscriptions.Notify(0);
    }
}
