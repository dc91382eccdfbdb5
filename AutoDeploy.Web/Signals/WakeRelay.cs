using System.Threading.Channels;
using Npgsql;

namespace AutoDeploy.Web.Signals;

/// <summary>
/// Several nodes on PostgreSQL: passes this node's keyed wake-ups (a machine has a new job, a deployment's job or log
/// changed, a health check moved) to the other nodes with <c>NOTIFY autodeploy_wake</c>, so an agent long-polling another
/// node gets its job at once, and a runner or a page elsewhere hears of a result at once.
/// <see cref="EventNotificationListener"/> turns them back into local wake-ups. Best effort: a lost notification
/// only delays the reaction to the waiters' periodic rechecks, which read the database anyway.
/// </summary>
public sealed class WakeRelay : BackgroundService
{
    public const string Channel = "autodeploy_wake";

    /// <summary>PostgreSQL refuses payloads of 8,000 bytes or more; batches stay well below.</summary>
    private const int MaxPayload = 7000;

    private readonly string _connectionString;
    private readonly ILogger<WakeRelay> _logger;
    private readonly Channel<string> _pending = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public WakeRelay(string connectionString, TaskSignals signals, ILogger<WakeRelay> logger)
    {
        _connectionString = connectionString;
        _logger = logger;
        signals.Machines.Relay = id => _pending.Writer.TryWrite($"m{id}");
        signals.Deployments.Relay = id => _pending.Writer.TryWrite($"d{id}");
        signals.Logs.Relay = id => _pending.Writer.TryWrite($"l{id}");
        signals.HealthChecks.Relay = id => _pending.Writer.TryWrite($"h{id}");
    }

    /// <summary>Wakes this node's waiters named in a payload another node sent ("m12,d5").</summary>
    public static void Deliver(string payload, TaskSignals signals)
    {
        foreach (var item in payload.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Length < 2 || !int.TryParse(item.AsSpan(1), out var id))
            {
                continue;
            }
            var signal = item[0] switch
            {
                'm' => signals.Machines,
                'd' => signals.Deployments,
                'l' => signals.Logs,
                'h' => signals.HealthChecks,
                _ => null,
            };
            signal?.NotifyLocal(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new HashSet<string>();
                var length = 0;
                while (length < MaxPayload && _pending.Reader.TryRead(out var item))
                {
                    if (batch.Add(item))
                    {
                        length += item.Length + 1;
                    }
                }
                try
                {
                    connection ??= await OpenAsync(stoppingToken);
                    await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    command.Parameters.AddWithValue("channel", Channel);
                    command.Parameters.AddWithValue("payload", string.Join(',', batch));
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    _logger.LogWarning("Could not pass {Count} wake-up(s) to the other nodes ({Message})", batch.Count, ex.Message);
                    await (connection?.DisposeAsync() ?? ValueTask.CompletedTask);
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await (connection?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
