using System.Net;
using System.Net.Sockets;
using System.Text;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Packages;

/// <summary>
/// Uploads at the edge, on real Kestrel: over the limit is a 413, and a connection cut mid-upload leaves nothing. On SQLite
/// only: both end before the database is written (the store's transaction runs on PostgreSQL in PackagesApiTests).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class PackageUploadLimitsTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private readonly AutoDeployAppFactory _app = new();
    private Uri _server = null!;

    public Task InitializeAsync()
    {
        _app.Settings["Packages:MaxUploadBytes"] = Limit.ToString();
        _server = new Uri(_app.StartOnKestrel());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_upload_over_the_limit_is_413_and_stores_nothing()
    {
        using var client = new HttpClient { BaseAddress = _server };
        client.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        var content = TestArchives.Body(TestArchives.Zip(("big.txt", RandomText(Limit * 2))));

        var problem = await ProblemAsync(await client.PostAsync("/api/packages?fileName=big.1.0.0.zip", content), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains(Limit.ToString(), problem.Detail);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_connection_cut_in_the_middle_of_an_upload_leaves_nothing_behind()
    {
        var archive = TestArchives.Zip(("app.txt", RandomText(Limit / 2)));
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(_server.Host, _server.Port);
            var stream = socket.GetStream();
            var head = $"POST /api/packages?fileName=cut.1.0.0.zip HTTP/1.1\r\nHost: {_server.Authority}\r\n" +
                       $"X-Api-Key: {AutoDeployAppFactory.AdminApiKey}\r\nContent-Type: application/octet-stream\r\nContent-Length: {archive.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(archive.AsMemory(0, archive.Length / 2));
            await stream.FlushAsync();
            // The server has the first half in a temporary file once it shows up; then the connection drops.
            await Eventually.TrueAsync(() => Task.FromResult(_app.PackageFiles().Any(f => f.Contains("/.uploads/", StringComparison.Ordinal))));
        }

        await Eventually.TrueAsync(() => Task.FromResult(_app.PackageFiles().Count == 0), because: () => string.Join(", ", _app.PackageFiles()));
        await AssertNothingStoredAsync();
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.PackageVersions.ToListAsync());
        Assert.Empty(_app.PackageFiles());
    }

    /// <summary>Text that does not compress, so the archive is as large as its content.</summary>
    private static string RandomText(int length) => Convert.ToBase64String(Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), length))[..length];
}
