using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Hosting;

public static class DatabaseExtensions
{
    /// <summary>Registers <see cref="IDbContextFactory{AutoDeployDbContext}"/> for the configured provider.</summary>
    public static IHostApplicationBuilder AddAutoDeployDatabase(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString("Default");
        var services = builder.Services;

        if (string.Equals(options.Provider, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:Default is empty. Set it, e.g. " +
                    "ConnectionStrings__Default=\"Host=127.0.0.1;Username=autodeploy;Password=...;Database=autodeploy\".");
            }
            services.AddPooledDbContextFactory<PostgresAutoDeployDbContext>((sp, o) => o.UseNpgsql(connectionString).UseAutoDeploy(sp));
            services.AddSingleton<IDbContextFactory<AutoDeployDbContext>, ProviderContextFactory<PostgresAutoDeployDbContext>>();
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EventNotificationListener>(sp, connectionString));
            services.AddHostedService(sp => sp.GetRequiredService<EventNotificationListener>());
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<WakeRelay>(sp, connectionString));
            services.AddHostedService(sp => sp.GetRequiredService<WakeRelay>());
        }
        else if (string.Equals(options.Provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            connectionString = string.IsNullOrWhiteSpace(connectionString)
                ? DefaultSqliteConnection(builder.Environment.ContentRootPath, options.DataFolder)
                : connectionString;
            services.AddPooledDbContextFactory<SqliteAutoDeployDbContext>((sp, o) => o.UseSqlite(connectionString).UseAutoDeploy(sp));
            services.AddSingleton<IDbContextFactory<AutoDeployDbContext>, ProviderContextFactory<SqliteAutoDeployDbContext>>();
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider '{options.Provider}' is unknown; use Sqlite or Postgres.");
        }

        // Identity's stores take a context per scope; everything else creates one per operation.
        services.AddScoped<AutoDeployDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContext());
        services.AddHostedService<DatabaseInitializer>();

        // Several nodes on one database: this node's name and leases, and the cross-node lock.
        services.Configure<NodeOptions>(builder.Configuration.GetSection("Node"));
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<DeploymentLeases>();
        services.AddSingleton<ClusterLock>();
        return builder;
    }

    private static DbContextOptionsBuilder UseAutoDeploy(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.UseAutoDeploy(services.GetRequiredService<TimeProvider>(), services.GetRequiredService<TaskSignals>());

    private static string DefaultSqliteConnection(string contentRoot, string dataFolder)
    {
        var folder = Path.GetFullPath(Path.Combine(contentRoot, dataFolder));
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "autodeploy.db")}";
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AutoDeployDbContext>
        where TContext : AutoDeployDbContext
    {
        public AutoDeployDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
