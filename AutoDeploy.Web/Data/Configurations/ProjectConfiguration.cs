using AutoDeploy.Domain.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("Projects");
        builder.ConfigureDocument();
        builder.Property(p => p.Description).HasMaxLength(Project.MaxDescriptionLength);
        builder.Property(p => p.Steps).HasJsonConversion();
        builder.Property(p => p.Variables).HasJsonConversion();
        builder.Property(p => p.Connectivity).HasJsonConversion();
    }
}
