using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Releases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

/// <summary>The package repository's index: one row per package id and version, unique without case.</summary>
internal sealed class PackageVersionConfiguration : IEntityTypeConfiguration<PackageVersion>
{
    public void Configure(EntityTypeBuilder<PackageVersion> builder)
    {
        builder.ToTable("PackageVersions");
        builder.Property(p => p.PackageId).HasMaxLength(PackageIdentity.MaxIdLength).IsRequired();
        builder.Property(p => p.NormalizedPackageId).HasMaxLength(PackageIdentity.MaxIdLength).IsRequired();
        builder.Property(p => p.Version).HasMaxLength(SemanticVersion.MaxLength).IsRequired();
        builder.Property(p => p.Format).HasConversion<string>().HasMaxLength(10);
        builder.Property(p => p.Sha256).HasMaxLength(64).IsRequired();
        builder.HasIndex(p => new { p.NormalizedPackageId, p.Version }).IsUnique();
        builder.Ignore(p => p.DomainEvents);
    }
}
