using System.Formats.Tar;
using System.Runtime.Versioning;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Packages;
using AutoDeploy.Tests.Packages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// The agent's package installer with real archives against a real HTTP server (Kestrel) that serves them with ranges,
/// and can cut a download short: cache, resume, hash check, safe extraction and the versions kept.
/// </summary>
public sealed class PackageInstallerTests : IAsyncLifetime
{
    private const string Token = "agent-token";
    private readonly string _home = Directory.CreateTempSubdirectory("autodeploy-installer-").FullName;
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly List<string?> _ranges = [];
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private string _url = "";

    /// <summary>The next response stops after this many bytes and drops the connection.</summary>
    private int? _cutAfter;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/api/agent/packages/{id}/{version}", async (string id, string version, HttpContext context) =>
        {
            lock (_ranges)
            {
                _ranges.Add(context.Request.Headers.Range.ToString() is { Length: > 0 } range ? range : null);
            }
            if (context.Request.Headers.Authorization != $"Bearer {Token}" || !_files.TryGetValue($"{id}/{version}", out var bytes))
            {
                return Results.NotFound();
            }
            if (_cutAfter is { } cut)
            {
                _cutAfter = null;
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, cut));
                await context.Response.Body.FlushAsync();
                context.Abort();
                return Results.Empty;
            }
            return Results.File(bytes, "application/octet-stream", enableRangeProcessing: true);
        });
        await _server.StartAsync();
        _url = _server.Urls.First();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task A_package_is_downloaded_extracted_with_its_modes_and_taken_from_the_cache_the_second_time()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Zip(("start.sh", "echo started"), ("www/index.html", "<h1>Shop</h1>")));
        var installer = Installer();

        var folder = await installer.InstallAsync(package, NoVariables, _ => { }, CancellationToken.None);
        var log = new List<string>();
        var again = await installer.InstallAsync(package, NoVariables, log.Add, CancellationToken.None);

        Assert.Equal(Path.Combine(_home, "apps", "Web-shop", "Shop", "1.0.0"), folder);
        Assert.Equal(folder, again);
        Assert.Equal("<h1>Shop</h1>", await File.ReadAllTextAsync(Path.Combine(folder, "www", "index.html")));
        Assert.Single(_ranges);
        Assert.Contains(log, l => l.Contains("in the cache"));
    }

    [Fact]
    public async Task A_cut_download_resumes_where_it_stopped()
    {
        var zip = TestArchives.Zip(("big.txt", RandomText(200_000)));
        var package = Serve("Shop", "1.0.0", zip);
        _cutAfter = zip.Length / 2;

        var folder = await Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(folder, "big.txt")));
        Assert.Equal(2, _ranges.Count);
        Assert.Null(_ranges[0]);
        // The second request asks only for what the first did not bring (all of it that reached the agent before the cut).
        var from = long.Parse(_ranges[1]!["bytes=".Length..^1]);
        Assert.InRange(from, 1, zip.Length / 2);
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_hash_is_refused_naming_both_hashes()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Zip(("a.txt", "x"))) with { Sha256 = new string('0', 64) };

        var refused = await Assert.ThrowsAsync<PackageInstallException>(() => Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None));

        Assert.Contains($"expected {new string('0', 64)}, got {Hash(_files["Shop/1.0.0"])}", refused.Message);
        Assert.False(Directory.Exists(Path.Combine(_home, "apps")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_home, "packages")));
    }

    [Fact]
    public async Task An_entry_that_climbs_out_of_the_folder_is_refused_and_nothing_is_left()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Zip(("ok.txt", "x"), ("../../escaped.txt", "owned")));

        var refused = await Assert.ThrowsAsync<PackageInstallException>(() => Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None));

        Assert.Contains("'../../escaped.txt' would be written outside its folder", refused.Message);
        Assert.False(File.Exists(Path.Combine(_home, "apps", "escaped.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_home, "apps", "Web-shop", "Shop")));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../etc")]
    [InlineData("bin/../../x")]
    public async Task A_link_that_points_out_is_refused(string target)
    {
        var package = Serve("Shop", "1.0.0", TarGz(("run.sh", "echo hi", null), ("out", null, target)));

        var refused = await Assert.ThrowsAsync<PackageInstallException>(() => Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None));

        Assert.Contains($"points to '{target}', outside its folder", refused.Message);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_link_inside_the_package_and_file_modes_are_kept()
    {
        var package = Serve("Shop", "1.0.0", TarGz(("bin/run.sh", "echo hi", null), ("current", null, "bin")));

        var folder = await Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None);

        Assert.Equal("bin", new FileInfo(Path.Combine(folder, "current")).LinkTarget);
        Assert.True(File.GetUnixFileMode(Path.Combine(folder, "bin", "run.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task An_archive_that_expands_too_far_is_refused()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Bomb(5_000_000));

        var refused = await Assert.ThrowsAsync<PackageInstallException>(() =>
            Installer(maxBytes: 1_000_000).InstallAsync(package, NoVariables, _ => { }, CancellationToken.None));

        Assert.Contains("expands to more than 1000000 bytes", refused.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_home, "apps", "Web-shop", "Shop")));
    }

    [Fact]
    public async Task As_many_versions_as_the_machine_policy_says_are_kept()
    {
        var installer = Installer();
        foreach (var version in new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0" })
        {
            var package = Serve("Shop", version, TestArchives.Zip(("v.txt", version))) with { KeepVersions = 2 };
            await installer.InstallAsync(package, NoVariables, _ => { }, CancellationToken.None);
        }

        Assert.Equal(["1.2.0", "1.3.0"],
            Directory.EnumerateDirectories(Path.Combine(_home, "apps", "Web-shop", "Shop")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Variables_are_substituted_in_the_files_the_step_lists_and_only_their_names_are_logged()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Zip(
            ("config/app.json", "{\"db\": \"#{DB_PASSWORD}\", \"env\": \"#{AUTODEPLOY_ENVIRONMENT}\", \"other\": \"#{NOT_SET}\"}"),
            ("untouched.txt", "#{DB_PASSWORD}"))) with { SubstituteInFiles = ["config/app.json"] };
        var log = new List<string>();
        var variables = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret!", ["AUTODEPLOY_ENVIRONMENT"] = "Production" };

        var folder = await Installer().InstallAsync(package, variables, log.Add, CancellationToken.None);

        Assert.Equal("{\"db\": \"s3cret!\", \"env\": \"Production\", \"other\": \"#{NOT_SET}\"}",
            await File.ReadAllTextAsync(Path.Combine(folder, "config", "app.json")));
        Assert.Equal("#{DB_PASSWORD}", await File.ReadAllTextAsync(Path.Combine(folder, "untouched.txt")));
        Assert.Contains("Substituted AUTODEPLOY_ENVIRONMENT, DB_PASSWORD in config/app.json; no variable for NOT_SET (left as it is)", log);
        Assert.DoesNotContain(log, l => l.Contains("s3cret!"));
    }

    [Fact]
    public async Task A_file_to_substitute_that_the_package_lacks_fails_the_install()
    {
        var package = Serve("Shop", "1.0.0", TestArchives.Zip(("a.txt", "x"))) with { SubstituteInFiles = ["config/missing.json"] };

        var refused = await Assert.ThrowsAsync<PackageInstallException>(() => Installer().InstallAsync(package, NoVariables, _ => { }, CancellationToken.None));

        Assert.Contains("no file 'config/missing.json'", refused.Message);
    }

    private static readonly Dictionary<string, string> NoVariables = [];

    private PackageInstaller Installer(long maxBytes = 1L << 30) =>
        new(new AgentClient(_http, _url, Token), Path.Combine(_home, "packages"), Path.Combine(_home, "apps")) { MaxExtractedBytes = maxBytes };

    private JobPackage Serve(string id, string version, byte[] file)
    {
        _files[$"{id}/{version}"] = file;
        var format = file[0] == 0x1f ? PackageFormat.TarGz : PackageFormat.Zip;
        return new JobPackage(id, version, format, Hash(file), file.Length, "Web shop");
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A tar.gz of files (content) and symbolic links (link target).</summary>
    private static byte[] TarGz(params (string Name, string? Content, string? Link)[] entries)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content, link) in entries)
            {
                tar.WriteEntry(link is null
                    ? new PaxTarEntry(TarEntryType.RegularFile, name)
                    {
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content!)),
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                    }
                    : new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link });
            }
        }
        return memory.ToArray();
    }

    private static string RandomText(int length) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(length))[..length];
}
