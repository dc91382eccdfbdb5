using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class TriggerConfiguration : IEntityTypeConfiguration<ProjectTrigger>
{
    public void Configure(EntityTypeBuilder<ProjectTrigger> builder)
    {
        builder.ToTable("Triggers");
        builder.ConfigureDocument(uniqueName: false);
        builder.HasIndex(t => new { t.ProjectId, t.NormalizedName }).IsUnique();
        builder.Property(t => t.Description).HasMaxLength(ProjectTrigger.MaxDescriptionLength);
        builder.Ignore(t => t.Categories);
        builder.Property(t => t.Action).HasConversion<string>().HasMaxLength(30);
        builder.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AutoDeployOverrideConfiguration : IEntityTypeConfiguration<AutoDeployOverride>
{
    public void Configure(EntityTypeBuilder<AutoDeployOverride> builder)
    {
        builder.ToTable("AutoDeployOverrides");
        builder.Ignore(o => o.DomainEvents);
        builder.Property(o => o.ReleaseVersion).HasMaxLength(SemanticVersion.MaxLength);
        builder.HasIndex(o => new { o.ProjectId, o.EnvironmentId }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(o => o.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Release>().WithMany().HasForeignKey(o => o.ReleaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DeploymentEnvironment>().WithMany().HasForeignKey(o => o.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AutoDeployCursorConfiguration : IEntityTypeConfiguration<AutoDeployCursor>
{
    public void Configure(EntityTypeBuilder<AutoDeployCursor> builder)
    {
        builder.ToTable("AutoDeployCursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(100);
    }
}

internal sealed class AutoDeployClaimConfiguration : IEntityTypeConfiguration<AutoDeployClaim>
{
    public void Configure(EntityTypeBuilder<AutoDeployClaim> builder)
    {
        builder.ToTable("AutoDeployClaims");
        builder.HasIndex(c => new { c.MachineId, c.ReleaseId, c.IsOpen }).IsUnique();
        builder.HasIndex(c => c.DeploymentId);
    }
}

internal sealed class AutoDeployRetryConfiguration : IEntityTypeConfiguration<AutoDeployRetry>
{
    public void Configure(EntityTypeBuilder<AutoDeployRetry> builder)
    {
        builder.ToTable("AutoDeployRetries");
        builder.HasIndex(r => r.DueAt);
        builder.HasIndex(r => r.MachineId);
    }
}
