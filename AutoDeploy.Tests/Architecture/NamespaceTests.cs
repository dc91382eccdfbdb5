using System.Text.RegularExpressions;

namespace AutoDeploy.Tests.Architecture;

/// <summary>Namespaces follow folders: a type is found where its namespace says, and the folder graph reads folders from namespaces.</summary>
public sealed partial class NamespaceTests
{
    [Theory]
    [InlineData("AutoDeploy.Domain")]
    [InlineData("AutoDeploy.Web")]
    [InlineData("AutoDeploy.Tests")]
    public void Every_file_declares_the_namespace_of_its_folder(string project)
    {
        var misplaced = SourceTree.CSharpFiles(project)
            .Where(f => f != "Program.cs")
            .Select(f => (File: f, Declared: Declared(Path.Combine(SourceTree.Root, project, f)), Expected: Expected(project, f)))
            .Where(f => f.Declared != f.Expected)
            .Select(f => $"{f.File}: namespace {f.Declared ?? "(none)"}, expected {f.Expected}")
            .ToList();

        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }

    private static string? Declared(string path) =>
        NamespaceDeclaration().Match(File.ReadAllText(path)) is { Success: true } match ? match.Groups[1].Value : null;

    private static string Expected(string project, string file) =>
        string.Join('.', [project, .. Path.GetDirectoryName(file)!.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)]);

    // File-scoped, or a block as EF Core's generated migrations write it.
    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*(?:;|\{|$)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
