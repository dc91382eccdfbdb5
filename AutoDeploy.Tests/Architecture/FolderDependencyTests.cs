using AutoDeploy.Web.Data;

namespace AutoDeploy.Tests.Architecture;

/// <summary>
/// The top-level folders of AutoDeploy.Web form layers, not a knot: no folder uses one that uses it back, directly or
/// through others; Components (the screens) are used by Hosting alone, and Hosting (the wiring) by nothing. What a
/// folder uses is read mainly from the compiled assembly, which sees every real use, fully qualified names included:
/// every type, method and field that a type's signatures, attributes and IL name (see <see cref="TypeReferenceReader"/>),
/// each counted in the folder its namespace names. The sources' <c>using</c> directives are read too, since constants
/// and <c>nameof</c> are inlined and leave no trace in IL (an unused directive counts: delete it).
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Root = "AutoDeploy.Web";
    private const string Components = "Components";
    private const string Hosting = "Hosting";

    private static readonly FolderGraph Graph =
        FolderGraph.Read(typeof(AutoDeployDbContext).Assembly.Location, Path.Combine(SourceTree.Root, Root), Root);

    [Fact]
    public void The_graph_sees_the_folders_and_their_uses()
    {
        var uses = Graph.Uses(Hosting);

        Assert.True(uses.ContainsKey("Data") && uses.ContainsKey(Components), Describe(Hosting, uses));
    }

    [Fact]
    public void No_folder_uses_a_folder_that_uses_it_back()
    {
        var cycles = Graph.Cycles();

        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(DescribeCycle)));
    }

    [Fact]
    public void Only_Hosting_uses_Components()
    {
        var users = Graph.Folders.Where(f => f is not (Components or Hosting) && Graph.Uses(f).ContainsKey(Components)).ToList();

        Assert.True(users.Count == 0, string.Join("\n", users.Select(f => $"{f} uses {Components}: {Graph.Uses(f)[Components]}")));
    }

    [Fact]
    public void Nothing_uses_Hosting()
    {
        var users = Graph.Folders.Where(f => f != Hosting && Graph.Uses(f).ContainsKey(Hosting)).ToList();

        Assert.True(users.Count == 0, string.Join("\n", users.Select(f => $"{f} uses {Hosting}: {Graph.Uses(f)[Hosting]}")));
    }

    private static string DescribeCycle(IReadOnlyList<string> folders)
    {
        var path = Graph.ShortestCycleThrough(folders[0]);
        var steps = path.Zip(path.Skip(1), (from, to) => $"  {from} -> {to}: {Graph.Uses(from)[to]}");
        return $"Folders that use each other: {string.Join(", ", folders)}. For example {string.Join(" -> ", path)}:\n{string.Join("\n", steps)}";
    }

    private static string Describe(string folder, IReadOnlyDictionary<string, string> uses) =>
        $"{folder} uses: {string.Join(", ", uses.Keys.Order())}";
}
