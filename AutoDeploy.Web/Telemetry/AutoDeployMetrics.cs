using System.Diagnostics.Metrics;
using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Web.Telemetry;

/// <summary>
/// The server's own instruments, meter <see cref="MeterName"/>. Counters and histograms are recorded where the thing
/// happens, on the node that does it (sum them across nodes); gauges of the shared database (queue, engine lag, machines)
/// come from <see cref="MetricsSampler"/> and read the same on every node (take the maximum).
/// </summary>
/// <remarks>
/// The instruments live on one meter per process (<see cref="Shared"/>), never disposed, rather than on a meter from the
/// host's <c>IMeterFactory</c>: OpenTelemetry joins the identical instruments of meters with the same name into one
/// stream, and disposing one of those meters (a host's, when it stops) silently ends the stream for the others. With
/// several hosts in one process (the tests) that lost a host's measurements.
/// </remarks>
public sealed class AutoDeployMetrics
{
    public const string MeterName = "AutoDeploy";

    private static readonly Meter Shared = new(MeterName);

    private readonly Histogram<double> _reaction;
    private readonly Histogram<double> _pass;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _polling;
    private readonly Counter<long> _webhookDeliveries;
    private volatile MetricsSample _sample = MetricsSample.Empty;

    public AutoDeployMetrics()
        : this(Shared)
    {
    }

    /// <summary>Instruments on <paramref name="meter"/>: a test's own meter, to hear only what it records.</summary>
    public AutoDeployMetrics(Meter meter)
    {
        _reaction = meter.CreateHistogram<double>("autodeploy.reaction.duration", "s",
            "From a machine's event committed to the auto-deployment queued for it", advice: Buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
        _pass = meter.CreateHistogram<double>("autodeploy.engine.pass.duration", "s", "One pass of the auto-deploy engine",
            advice: Buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5));
        _finished = meter.CreateCounter<long>("autodeploy.deployments.finished", "{deployment}", "Deployments finished, by state");
        _duration = meter.CreateHistogram<double>("autodeploy.deployment.duration", "s", "From a deployment queued to finished, by state",
            advice: Buckets(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600));
        _polling = meter.CreateUpDownCounter<long>("autodeploy.agents.polling", "{agent}", "Agents holding a long poll on this node");
        _webhookDeliveries = meter.CreateCounter<long>("autodeploy.webhook.deliveries", "{delivery}", "Webhook delivery attempts, by outcome");
        meter.CreateObservableGauge("autodeploy.deployments.queued", () => _sample.Queued, "{deployment}", "Deployments queued, not started");
        meter.CreateObservableGauge("autodeploy.deployments.executing", () => _sample.Executing, "{deployment}", "Deployments running");
        meter.CreateObservableGauge("autodeploy.engine.lag", () => _sample.EngineLag, "{event}", "Events after the engine's cursor");
        meter.CreateObservableGauge("autodeploy.machines", () => _sample.MachinesByHealth.Select(
            m => new Measurement<long>(m.Value, new KeyValuePair<string, object?>("health", m.Key))), "{machine}", "Machines by health");
    }

    public void Reaction(TimeSpan elapsed) => _reaction.Record(Math.Max(0, elapsed.TotalSeconds));

    public void EnginePass(TimeSpan elapsed) => _pass.Record(elapsed.TotalSeconds);

    public void DeploymentFinished(Deployment deployment)
    {
        var state = new KeyValuePair<string, object?>("state", deployment.State.ToString());
        _finished.Add(1, state);
        if (deployment.CompletedAt is { } finished)
        {
            _duration.Record(Math.Max(0, (finished - deployment.QueuedAt).TotalSeconds), state);
        }
    }

    public void PollStarted() => _polling.Add(1);

    public void PollEnded() => _polling.Add(-1);

    public void WebhookDelivery(bool succeeded) =>
        _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    /// <summary>The shared state the gauges report until the next sample.</summary>
    public void Sampled(MetricsSample sample) => _sample = sample;

    private static InstrumentAdvice<double> Buckets(params double[] bounds) => new() { HistogramBucketBoundaries = bounds };
}

/// <summary>What <see cref="MetricsSampler"/> read from the database.</summary>
public sealed record MetricsSample(long Queued, long Executing, long EngineLag, IReadOnlyDictionary<string, long> MachinesByHealth)
{
    public static readonly MetricsSample Empty = new(0, 0, 0, new Dictionary<string, long>());
}
