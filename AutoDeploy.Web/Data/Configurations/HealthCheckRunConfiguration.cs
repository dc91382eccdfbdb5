using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class HealthCheckRunConfiguration : IEntityTypeConfiguration<HealthCheckRun>
{
    public void Configure(EntityTypeBuilder<HealthCheckRun> builder)
    {
        builder.ToTable("HealthCheckRuns");
        builder.Property(r => r.Title).HasMaxLength(400);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.Summary).HasMaxLength(4000);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => r.State);
    }
}
