using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

internal sealed class EnvironmentConfiguration : IEntityTypeConfiguration<DeploymentEnvironment>
{
    public void Configure(EntityTypeBuilder<DeploymentEnvironment> builder)
    {
        builder.ToTable("Environments");
        builder.ConfigureDocument();
        builder.Property(e => e.Description).HasMaxLength(DeploymentEnvironment.MaxDescriptionLength);
    }
}

internal static class DocumentConfiguration
{
    public static void ConfigureDocument<T>(this EntityTypeBuilder<T> builder) where T : Domain.Events.Document
    {
        builder.Property(d => d.Name).HasMaxLength(NameRules.MaxLength).IsRequired();
        builder.Property(d => d.NormalizedName).HasMaxLength(NameRules.MaxLength).IsRequired();
        builder.HasIndex(d => d.NormalizedName).IsUnique();
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.DomainEvents);
    }
}
