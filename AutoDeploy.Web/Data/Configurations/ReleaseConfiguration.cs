using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("Releases");
        builder.Ignore(r => r.DomainEvents);
        builder.Ignore(r => r.SemanticVersion);
        builder.Property(r => r.Version).HasMaxLength(SemanticVersion.MaxLength);
        builder.Property(r => r.Notes).HasMaxLength(Release.MaxNotesLength);
        builder.Property(r => r.Steps).HasJsonConversion();
        builder.Property(r => r.Variables).HasJsonConversion();
        builder.HasIndex(r => new { r.ProjectId, r.Version }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
