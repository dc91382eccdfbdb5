using AutoDeploy.Domain.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

/// <summary>The Event table has no foreign keys: events outlive the documents they describe.</summary>
internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.ToTable("Events");
        builder.Property(e => e.Category).HasMaxLength(100);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Message).HasMaxLength(4000);
        builder.Property(e => e.DocumentType).HasMaxLength(50);
        builder.HasIndex(e => e.Category);
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.DocumentType, e.DocumentId });
        builder.HasIndex(e => e.EnvironmentId);
        builder.HasIndex(e => e.ProjectId);
        builder.HasIndex(e => e.DeploymentId);
        // A machine's events; the engine's decisions are those with a trigger too: fleet drift reads the latest per machine and trigger.
        builder.HasIndex(e => new { e.MachineId, e.TriggerId });
    }
}

internal sealed class RetentionPermitConfiguration : IEntityTypeConfiguration<RetentionPermit>
{
    public void Configure(EntityTypeBuilder<RetentionPermit> builder) => builder.ToTable("RetentionPermits");
}
