using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AutoDeploy.Bench;

/// <summary>Runs <see cref="PlannerBenchmarks"/> with BenchmarkDotNet, in process (no second build on a shared machine).</summary>
public static class PlannerBench
{
    public static ResultTable Run()
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.JoinSummary)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "autodeploy-bench-artifacts"));
        var summary = BenchmarkRunner.Run<PlannerBenchmarks>(config);
        var table = new ResultTable("Planner (BenchmarkDotNet, ShortRun, in process): AutoDeployPlanner.Plan on one page",
            "events", "triggers", "mean µs", "error µs", "allocated KiB");
        foreach (var report in summary.Reports.Where(r => r.ResultStatistics is not null))
        {
            var parameters = report.BenchmarkCase.Parameters;
            table.Add(parameters["Events"], parameters["Triggers"], (report.ResultStatistics!.Mean / 1000).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                (report.ResultStatistics.StandardError / 1000).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                ((report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0) / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        }
        return table;
    }
}
