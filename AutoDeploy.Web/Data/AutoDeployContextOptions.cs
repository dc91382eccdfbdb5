using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AutoDeploy.Web.Data;

/// <summary>
/// The clock and the wake-up signals of an <see cref="AutoDeployDbContext"/>, carried in its options rather than its
/// constructor: a pooled context (AddPooledDbContextFactory) may only take its options. Pooling matters because
/// building a context's internal services was about an eighth of the server's CPU when a wave of agents arrived.
/// </summary>
public sealed class AutoDeployContextOptions(TimeProvider time, TaskSignals? signals) : IDbContextOptionsExtension
{
    public TimeProvider Time => time;
    public TaskSignals? Signals => signals;

    private DbContextOptionsExtensionInfo? _info;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    // Plain values, not EF services: every context shares one internal service provider whatever they are.
    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "";
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
