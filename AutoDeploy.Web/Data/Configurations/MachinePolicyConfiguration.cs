using AutoDeploy.Domain.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class MachinePolicyConfiguration : IEntityTypeConfiguration<MachinePolicy>
{
    public void Configure(EntityTypeBuilder<MachinePolicy> builder)
    {
        builder.ToTable("MachinePolicies");
        builder.ConfigureDocument();
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.HealthCheckType).HasConversion<string>().HasMaxLength(50);
        builder.Property(p => p.ConnectivityBehavior).HasConversion<string>().HasMaxLength(50);
        builder.Property(p => p.CleanupBehavior).HasConversion<string>().HasMaxLength(50);
        builder.Property(p => p.AgentVersionCheck).HasConversion<string>().HasMaxLength(50);
        builder.Property(p => p.PackageVersionsToKeep).HasDefaultValue(MachinePolicy.DefaultPackageVersionsToKeep);
    }
}
