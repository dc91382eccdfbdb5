using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class UserRoleAssignmentConfiguration : IEntityTypeConfiguration<UserRoleAssignment>
{
    public void Configure(EntityTypeBuilder<UserRoleAssignment> builder)
    {
        builder.ToTable("UserRoleAssignments");
        builder.Property(a => a.Role).HasMaxLength(30);
        builder.Property(a => a.EnvironmentIds).HasJsonConversion();
        builder.Property(a => a.ProjectIds).HasJsonConversion();
        builder.HasIndex(a => a.UserId);
        builder.HasOne<AutoDeployUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
