using AutoDeploy.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class MachineConfiguration : IEntityTypeConfiguration<Machine>
{
    public void Configure(EntityTypeBuilder<Machine> builder)
    {
        builder.ToTable("Machines");
        builder.ConfigureDocument();
        builder.Property(m => m.HealthStatus).HasConversion<string>().HasMaxLength(50);
        builder.HasIndex(m => m.HealthStatus);
        builder.HasIndex(m => m.NextHealthCheckAt);
        builder.HasIndex(m => m.LastSeenAt);
        builder.Property(m => m.HealthSummary).HasMaxLength(2000);
        builder.Property(m => m.AgentVersion).HasMaxLength(Machine.MaxAgentVersionLength);
        builder.Property(m => m.AgentTokenHash).HasMaxLength(100);
        builder.HasIndex(m => m.AgentTokenHash).IsUnique();
        builder.HasOne(m => m.MachinePolicy).WithMany().HasForeignKey(m => m.MachinePolicyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Environments).WithMany()
            .UsingEntity("MachineEnvironments",
                l => l.HasOne(typeof(Domain.Environments.DeploymentEnvironment)).WithMany().HasForeignKey("EnvironmentId").OnDelete(DeleteBehavior.Restrict),
                r => r.HasOne(typeof(Machine)).WithMany().HasForeignKey("MachineId").OnDelete(DeleteBehavior.Cascade));
    }
}
