using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace AutoDeploy.Tests.Architecture;

/// <summary>
/// Which top-level folder of a project uses which. Read from its compiled assembly (<see cref="TypeReferenceReader"/>),
/// where a type's folder is the namespace segment after the project's root namespace (namespaces follow folders), and
/// from its sources' <c>using</c> directives, which alone show the constants and <c>nameof</c> the compiler inlines.
/// Each dependency keeps one example, e.g. "Type uses OtherType", to say where it comes from.
/// </summary>
public sealed partial class FolderGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = [];

    private FolderGraph()
    {
    }

    public IEnumerable<string> Folders => _edges.Keys;

    public static FolderGraph Read(string assemblyPath, string sourceFolder, string rootNamespace)
    {
        var graph = ReadAssembly(assemblyPath, rootNamespace);
        var files = Directory.EnumerateFiles(sourceFolder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(sourceFolder, f).Split(Path.DirectorySeparatorChar))
            .Where(f => f.Length > 1 && f[0] is not ("bin" or "obj"));
        foreach (var file in files)
        {
            var targets = graph.EdgesFrom(file[0]);
            foreach (Match match in UsingDirective().Matches(File.ReadAllText(Path.Combine([sourceFolder, .. file]))))
            {
                var target = match.Groups["folder"].Value;
                if (target != file[0])
                {
                    targets.TryAdd(target, $"{string.Join('/', file)} has {match.Value.Trim()}");
                }
            }
        }
        return graph;
    }

    private static FolderGraph ReadAssembly(string assemblyPath, string rootNamespace)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = new TypeReferenceReader(pe);
        var graph = new FolderGraph();
        var folderOf = reader.TopLevelTypes()
            .Select(t => (t.Handle, Folder: FolderOf(t.Namespace, rootNamespace)))
            .Where(t => t.Folder is not null)
            .ToDictionary(t => t.Handle, t => t.Folder!);
        foreach (var (type, folder) in folderOf)
        {
            var targets = graph.EdgesFrom(folder);
            foreach (var used in reader.UsedBy(type).Select(reader.Outermost).Distinct())
            {
                if (folderOf.TryGetValue(used, out var target) && target != folder)
                {
                    targets.TryAdd(target, $"{reader.FullName(type)} uses {reader.FullName(used)}");
                }
            }
        }
        return graph;
    }

    /// <summary>The folders a folder uses directly, each with one example of a use.</summary>
    public IReadOnlyDictionary<string, string> Uses(string folder) =>
        _edges.TryGetValue(folder, out var targets) ? targets : new Dictionary<string, string>();

    /// <summary>Groups of folders that reach each other (strongly connected components of two or more), by Tarjan's algorithm.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            foreach (var next in Uses(folder).Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[folder] = Math.Min(low[folder], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[folder] = Math.Min(low[folder], index[next]);
                }
            }
            if (low[folder] == index[folder])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != folder);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order()]);
                }
            }
        }

        foreach (var folder in _edges.Keys.Order().ToList())
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }
        return cycles;
    }

    /// <summary>A shortest path of uses from one folder back to itself, e.g. ["Data", "Workers", "Data"].</summary>
    public IReadOnlyList<string> ShortestCycleThrough(string folder)
    {
        var cameFrom = new Dictionary<string, string>();
        var queue = new Queue<string>([folder]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in Uses(current).Keys.Order())
            {
                if (next == folder)
                {
                    var path = new List<string> { folder, current };
                    while (path[^1] != folder)
                    {
                        path.Add(cameFrom[path[^1]]);
                    }
                    path.Reverse();
                    return path;
                }
                if (cameFrom.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return [];
    }

    private Dictionary<string, string> EdgesFrom(string folder)
    {
        if (!_edges.TryGetValue(folder, out var targets))
        {
            _edges[folder] = targets = [];
        }
        return targets;
    }

    [GeneratedRegex(@"^\s*@?(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?AutoDeploy\.Web\.(?<folder>\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    private static string? FolderOf(string @namespace, string rootNamespace) =>
        @namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal)
            ? @namespace[(rootNamespace.Length + 1)..].Split('.')[0]
            : null;
}
