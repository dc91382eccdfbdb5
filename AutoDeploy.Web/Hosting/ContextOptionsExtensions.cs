using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AutoDeploy.Web.Hosting;

/// <summary>How every <see cref="AutoDeployDbContext"/> is configured, in the app and in tests alike.</summary>
public static class ContextOptionsExtensions
{
    /// <summary>Gives the contexts built from these options their clock and, in the app, its wake-up signals.</summary>
    public static DbContextOptionsBuilder<TContext> UseAutoDeploy<TContext>(this DbContextOptionsBuilder<TContext> builder,
        TimeProvider time, TaskSignals? signals = null) where TContext : DbContext
    {
        ((DbContextOptionsBuilder)builder).UseAutoDeploy(time, signals);
        return builder;
    }

    /// <summary>
    /// Also adds the interceptors every context needs (a pooled context cannot add them in OnConfiguring): wake-ups
    /// on commit, the closing of the auto-deploy claims of deployments that end, and for SQLite the connection's
    /// pragmas and the write gate, which leave other providers alone.
    /// </summary>
    public static DbContextOptionsBuilder UseAutoDeploy(this DbContextOptionsBuilder builder, TimeProvider time, TaskSignals? signals = null)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new AutoDeployContextOptions(time, signals));
        return builder.AddInterceptors(EventCommitNotifier.Instance, ClaimCloser.Instance, SqlitePragmas.Instance, SqliteWriteGate.Instance);
    }
}
