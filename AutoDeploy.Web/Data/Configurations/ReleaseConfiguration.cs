using AutoDeploy.Domain.Packages;
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
        builder.OwnsMany(r => r.Packages, package =>
        {
            package.ToTable("ReleasePackages");
            package.WithOwner().HasForeignKey("ReleaseId");
            package.Property<int>("Id");
            package.HasKey("Id");
            package.Property(p => p.PackageId).HasMaxLength(PackageIdentity.MaxIdLength).IsRequired();
            package.Property(p => p.NormalizedPackageId).HasMaxLength(PackageIdentity.MaxIdLength).IsRequired();
            package.Property(p => p.Version).HasMaxLength(SemanticVersion.MaxLength).IsRequired();
            // "Which releases use this package version": asked before the version may be deleted or replaced.
            package.HasIndex(p => new { p.NormalizedPackageId, p.Version });
        });
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
