namespace AutoDeploy.Tests.Architecture;

/// <summary>The repository's source files, found from the test's output folder.</summary>
public static class SourceTree
{
    public static string Root { get; } = FindRoot();

    /// <summary>A project's C# files, bin/ and obj/ left out, as paths relative to the project's folder.</summary>
    public static IEnumerable<string> CSharpFiles(string project)
    {
        var folder = Path.Combine(Root, project);
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => f.Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"));
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AutoDeploy.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException($"No AutoDeploy.sln above {AppContext.BaseDirectory}.");
    }
}
