using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Releases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("Deployments");
        builder.Ignore(d => d.DomainEvents);
        builder.Ignore(d => d.Title);
        builder.Property(d => d.ProjectName).HasMaxLength(200);
        builder.Property(d => d.ReleaseVersion).HasMaxLength(SemanticVersion.MaxLength);
        builder.Property(d => d.EnvironmentName).HasMaxLength(200);
        builder.Property(d => d.QueuedBy).HasMaxLength(256);
        builder.Property(d => d.FailureReason).HasMaxLength(4000);
        builder.Property(d => d.Warning).HasMaxLength(4000);
        builder.Property(d => d.Leaving).HasOptionalJsonConversion();
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(d => d.State);
        builder.HasIndex(d => new { d.ProjectId, d.EnvironmentId, d.State });
        // The retries of a deployment, for its page. No foreign key: a retry deploys the same release, so the two go together.
        builder.HasIndex(d => d.RetryOfDeploymentId);
        builder.Property(d => d.ExecutingNode).HasMaxLength(NodeIdentity.MaxNameLength);
        // One deployment at a time per project and environment, also when two nodes claim at once.
        builder.HasIndex(d => new { d.ProjectId, d.EnvironmentId }).IsUnique().HasFilter("\"State\" = 'Executing'")
            .HasDatabaseName("IX_Deployments_OneExecutingPerProjectAndEnvironment");
        builder.HasOne<Release>().WithMany().HasForeignKey(d => d.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeploymentTargetConfiguration : IEntityTypeConfiguration<DeploymentTarget>
{
    public void Configure(EntityTypeBuilder<DeploymentTarget> builder)
    {
        builder.ToTable("DeploymentTargets");
        builder.Property(t => t.MachineName).HasMaxLength(200);
        builder.Property(t => t.Reason).HasMaxLength(4000);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(t => new { t.DeploymentId, t.MachineId }).IsUnique();
        // Covers "the latest successful deployment per machine" (fleet drift) without reading the rows.
        builder.HasIndex(t => new { t.MachineId, t.State, t.DeploymentId });
        builder.HasOne<Deployment>().WithMany().HasForeignKey(t => t.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MachineJobConfiguration : IEntityTypeConfiguration<MachineJob>
{
    public void Configure(EntityTypeBuilder<MachineJob> builder)
    {
        builder.ToTable("MachineJobs");
        builder.Ignore(j => j.IsFinished);
        builder.Property(j => j.Name).HasMaxLength(200);
        builder.Property(j => j.Message).HasMaxLength(4000);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(j => new { j.MachineId, j.State });
        builder.HasIndex(j => j.DeploymentId);
        builder.HasIndex(j => j.HealthCheckRunId);
        builder.HasIndex(j => new { j.Kind, j.State });
    }
}

internal sealed class TaskLogLineConfiguration : IEntityTypeConfiguration<TaskLogLine>
{
    public void Configure(EntityTypeBuilder<TaskLogLine> builder)
    {
        builder.ToTable("TaskLogLines");
        builder.Property(l => l.Text).HasMaxLength(TaskLogLine.MaxLength + 100);
        builder.Property(l => l.Stream).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(l => new { l.DeploymentId, l.Id });
        builder.HasIndex(l => new { l.JobId, l.Id });
        builder.HasIndex(l => new { l.HealthCheckRunId, l.Id });
    }
}
