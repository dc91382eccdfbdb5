using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Signals;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AutoDeploy.Web.Data;

/// <summary>
/// The one database of AutoDeploy. Each provider has a subclass that owns its migrations set;
/// code everywhere else uses this type through <see cref="IDbContextFactory{TContext}"/>.
/// </summary>
/// <remarks>
/// Contexts are pooled: one takes only its options (<see cref="AutoDeployContextOptions"/> carries the clock and the
/// signals) and forgets its own state when it goes back to the pool.
/// </remarks>
public abstract class AutoDeployDbContext(DbContextOptions options)
    : IdentityDbContext<AutoDeployUser>(options), IDataProtectionKeyContext
{
    private readonly TimeProvider time = options.FindExtension<AutoDeployContextOptions>()?.Time ?? TimeProvider.System;
    private readonly TaskSignals? signals = options.FindExtension<AutoDeployContextOptions>()?.Signals;
    private readonly List<DomainEvent> _recorded = [];

    public DbSet<DeploymentEnvironment> Environments => Set<DeploymentEnvironment>();
    public DbSet<Machine> Machines => Set<Machine>();
    public DbSet<MachinePolicy> MachinePolicies => Set<MachinePolicy>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<DeploymentTarget> DeploymentTargets => Set<DeploymentTarget>();
    public DbSet<MachineJob> MachineJobs => Set<MachineJob>();
    public DbSet<TaskLogLine> TaskLogLines => Set<TaskLogLine>();
    public DbSet<HealthCheckRun> HealthCheckRuns => Set<HealthCheckRun>();
    public DbSet<ProjectTrigger> Triggers => Set<ProjectTrigger>();
    public DbSet<AutoDeployOverride> AutoDeployOverrides => Set<AutoDeployOverride>();
    public DbSet<AutoDeployCursor> AutoDeployCursors => Set<AutoDeployCursor>();
    public DbSet<AutoDeployClaim> AutoDeployClaims => Set<AutoDeployClaim>();
    public DbSet<AutoDeployRetry> AutoDeployRetries => Set<AutoDeployRetry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<UserRoleAssignment> UserRoleAssignments => Set<UserRoleAssignment>();
    public DbSet<EnrolmentToken> EnrolmentTokens => Set<EnrolmentToken>();
    public DbSet<PackageVersion> PackageVersions => Set<PackageVersion>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<SubscriptionCursor> SubscriptionCursors => Set<SubscriptionCursor>();
    public DbSet<SubscriptionDelivery> SubscriptionDeliveries => Set<SubscriptionDelivery>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RetentionPermit> RetentionPermits => Set<RetentionPermit>();

    public TimeProvider Time => time;

    /// <summary>Appends an event that no document raised (an engine decision) with the next save.</summary>
    public void Record(DomainEvent domainEvent) => _recorded.Add(domainEvent);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (EventRecorder.Collect(ChangeTracker) is { Count: > 0 } || _recorded.Count > 0)
        {
            throw new InvalidOperationException("Changes that record events must be saved with SaveChangesAsync.");
        }
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>Saves the changes and appends their events in one transaction (the caller's, if one is open).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = EventRecorder.Collect(ChangeTracker);
        pending.AddRange(_recorded.Select(e => new PendingEvent(null, e.Category, e.Message, e.Links, e.Details)));
        _recorded.Clear();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await LockEventAppendsAsync(cancellationToken);
            var now = time.GetUtcNow();
            Events.AddRange(pending.Select(p => EventRecorder.ToEvent(p, now, ActorContext.Current)));
            count += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            // Announced when the transaction commits: ours just below, or the caller's later.
            if (signals is not null)
            {
                EventCommitNotifier.EventsAppended(Database.CurrentTransaction!.GetDbTransaction(), signals);
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return count;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    public override void Dispose()
    {
        ForgetRecordedEvents();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ForgetRecordedEvents();
        return base.DisposeAsync();
    }

    // A pooled context is handed out again: events of a save that never happened must not follow it.
    private void ForgetRecordedEvents() => _recorded.Clear();

    /// <summary>
    /// Makes event ids commit in id order, so a reader's cursor never skips an event that a slower
    /// transaction fills in later (docs/architecture.md §3). SQLite has one writer at a time already.
    /// </summary>
    protected virtual Task LockEventAppendsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Makes the open transactions that call this with the same key take turns, on every node: a check and the change
    /// it guards ("no user yet", "another administrator remains") stay true together. PostgreSQL: an advisory lock
    /// held until the transaction ends. SQLite serves one node, whose callers take turns in process.
    /// </summary>
    public virtual Task LockForTransactionAsync(long key, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AutoDeployDbContext).Assembly);
    }

    protected static void StoreTimesAsTicks(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; as binary ticks it can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
