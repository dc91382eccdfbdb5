using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.E2E;

/// <summary>
/// The app on real Kestrel at a free port with its own SQLite file. With <c>bootstrap</c> it has the
/// headless administrator and API key of <see cref="E2EFixture"/>; without, it starts at the first-run set-up.
/// </summary>
public sealed class E2EApp : IAsyncDisposable
{
    private readonly AppFactory _factory;

    private E2EApp(AppFactory factory)
    {
        _factory = factory;
        BaseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }
    public IServiceProvider Services => _factory.Services;

    public static E2EApp Start(bool bootstrap)
    {
        var factory = new AppFactory(bootstrap);
        factory.UseKestrel(0);
        factory.StartServer();
        return new E2EApp(factory);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class AppFactory(bool bootstrap) : WebApplicationFactory<Program>
    {
        private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-{Guid.NewGuid():N}.db");
        private readonly string _packages = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-packages-{Guid.NewGuid():N}");
        private readonly string _data = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-data-{Guid.NewGuid():N}");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureLogging(logging => logging.AddProvider(new E2EDiagnostics.LoggerProvider())
                .AddFilter<E2EDiagnostics.LoggerProvider>(null, LogLevel.Debug));
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={_dbPath};Pooling=False");
            builder.UseSetting("Bootstrap:AdminEmail", bootstrap ? E2EFixture.AdminEmail : "");
            builder.UseSetting("Bootstrap:AdminPassword", bootstrap ? E2EFixture.AdminPassword : "");
            builder.UseSetting("Bootstrap:AdminApiKey", bootstrap ? E2EFixture.AdminApiKey : "");
            builder.UseSetting("Packages:Folder", _packages);
            builder.UseSetting("Database:DataFolder", _data);
            // One browser signs in again and again from loopback, faster than a person would.
            builder.UseSetting("SignIn:AddressBurst", "1000000");
            builder.UseSetting("SignIn:AccountBurst", "1000000");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_dbPath + suffix);
            }
            foreach (var folder in new[] { _packages, _data }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
