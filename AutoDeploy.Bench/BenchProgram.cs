namespace AutoDeploy.Bench;

/// <summary>
/// <c>dotnet run -c Release --project AutoDeploy.Bench -- &lt;benchmark&gt; [--option value ...] [--markdown FILE]</c>:
/// runs one benchmark, prints its table, and with <c>--markdown</c> appends it to FILE. See BENCHMARKS.md.
/// </summary>
public static class BenchProgram
{
    private const string Usage = """
        Usage: dotnet run -c Release --project AutoDeploy.Bench -- <benchmark> [options] [--markdown FILE]
          reaction      --agents 1,10,100,1000 [--kind runner|protocol] [--waves 3] [--timeout 300] [--min-threads N] [--sql-top N] [--credential api-key|enrolment]
                        [--server in-process|process] [--nodes 1] [--database sqlite|postgres] [--restart no|yes]
                        [--server-dir DIR] [--server-setting KEY=VALUE,...]
          engine-idle   --events 10000,100000,1000000 [--passes 30]
          engine-burst  --events 10000 --triggers 100 [--history 0]
          health        --machines 1000 [--unavailable-after 30]
          ui            --machines 10000 --events 1000000 [--repeats 5]
          memory        --agents 1000 --circuits 100 [--settle 5]
          idle          --agents 10000 [--settle 20] [--window 60] [--server-setting KEY=VALUE,...]
          feed          --pages 1,10 --events 20 [--paths /activity,/]
          packages      --agents 100,1000 [--package-mb 50] [--upload-mb 500]
          fleet         --machines 10000 --projects 5 [--history 1000000] [--repeats 20]
          retention     --events 1000000 [--batch 1000]
          planner       (BenchmarkDotNet over AutoDeployPlanner.Plan; run with -c Release)
        """;

    public static async Task<int> Main(string[] args)
    {
        BenchArguments arguments;
        try
        {
            arguments = BenchArguments.Parse(args);
            var tables = await RunAsync(arguments, Console.Out);
            foreach (var table in tables)
            {
                Console.WriteLine();
                Console.WriteLine(table.ToText());
            }
            if (arguments.Text("markdown") is { } file)
            {
                await File.AppendAllTextAsync(file, string.Concat(tables.Select(t => t.ToMarkdown())));
                Console.WriteLine($"Appended to {file}.");
            }
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 1;
        }
    }

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchArguments a, TextWriter progress)
    {
        switch (a.Command)
        {
            case "reaction":
                a.RefuseUnknown("agents", "kind", "timeout", "min-threads", "waves", "sql-top", "credential", "server", "nodes", "database",
                    "server-dir", "server-setting", "restart");
                var kind = a.Enum("kind", AgentKind.Runner);
                int? minThreads = a.Text("min-threads") is null ? null : a.Int("min-threads", 0);
                var reaction = await ReactionBench.RunAsync(
                    new ReactionSettings(a.Ints("agents", 1, 10, 100, 1000), kind, a.Seconds("timeout", 300), MinThreads: minThreads,
                        Waves: a.Int("waves", 3), SqlTop: a.Int("sql-top", 0),
                        Enrolment: a.Choice("credential", "api-key", "enrolment") == "enrolment",
                        Shape: new ServerShape(a.Choice("server", "in-process", "process") == "process", a.Int("nodes", 1),
                            a.Choice("database", "sqlite", "postgres") == "postgres", a.Text("server-dir"), a.Settings("server-setting")),
                        Restart: a.Choice("restart", "no", "yes") == "yes"), progress);
                return [ReactionBench.Table(reaction, kind), ReactionBench.StagesTable(reaction), ReactionBench.WorkTable(reaction)];
            case "retention":
                a.RefuseUnknown("events", "batch");
                return [RetentionBench.Table([await RetentionBench.RunAsync(a.Int("events", 1_000_000), a.Int("batch", 1000), progress)])];
            case "engine-idle":
                a.RefuseUnknown("events", "passes");
                return [EngineBench.IdleTable(await EngineBench.RunIdleAsync(a.Ints("events", 10_000, 100_000, 1_000_000), a.Int("passes", 30), progress))];
            case "engine-burst":
                a.RefuseUnknown("events", "triggers", "history");
                var burst = await EngineBench.RunBurstAsync(a.Int("events", 10_000), a.Int("triggers", 100), a.Int("history", 0), progress);
                return [EngineBench.BurstTable([burst])];
            case "health":
                a.RefuseUnknown("machines", "unavailable-after");
                var unavailableAfter = a.Seconds("unavailable-after", 30);
                var settings = new Dictionary<string, string?> { ["HealthChecks:UnavailableAfter"] = unavailableAfter.ToString("c") };
                var health = await HealthBench.RunAsync(a.Int("machines", 1000), settings, TimeSpan.FromMinutes(3), progress);
                return [HealthBench.Table([health])];
            case "ui":
                a.RefuseUnknown("machines", "events", "repeats");
                return [UiBench.Table(await UiBench.RunAsync(a.Int("machines", 10_000), a.Int("events", 1_000_000), a.Int("repeats", 5), progress))];
            case "memory":
                a.RefuseUnknown("agents", "circuits", "settle");
                return [MemoryBench.Table(await MemoryBench.RunAsync(a.Int("agents", 1000), a.Int("circuits", 100), a.Seconds("settle", 5), progress))];
            case "idle":
                a.RefuseUnknown("agents", "settle", "window", "server-setting");
                return [IdleBench.Table([await IdleBench.RunAsync(a.Int("agents", 10_000), a.Seconds("settle", 20), a.Seconds("window", 60),
                    a.Settings("server-setting"), progress)])];
            case "feed":
                a.RefuseUnknown("pages", "events", "paths");
                var paths = (a.Text("paths") ?? "/activity,/").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return [FeedBench.Table(await FeedBench.RunAsync(paths, a.Ints("pages", 1, 10), a.Int("events", 20), progress))];
            case "packages":
                a.RefuseUnknown("agents", "package-mb", "upload-mb");
                var (upload, fanOut) = await PackageBench.RunAsync(a.Ints("agents", 100, 1000), a.Int("package-mb", 50) * (1L << 20),
                    a.Int("upload-mb", 500) * (1L << 20), progress);
                return PackageBench.Tables(upload, fanOut);
            case "fleet":
                a.RefuseUnknown("machines", "projects", "history", "repeats");
                return FleetBench.Tables(await FleetBench.RunAsync(a.Int("machines", 10_000), a.Int("projects", 5), a.Int("history", 1_000_000),
                    a.Int("repeats", 20), progress));
            case "planner":
                a.RefuseUnknown();
                return [PlannerBench.Run()];
            default:
                throw new ArgumentException($"Unknown benchmark '{a.Command}'.");
        }
    }
}
