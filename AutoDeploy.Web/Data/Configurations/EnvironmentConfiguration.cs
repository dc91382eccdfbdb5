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
    /// <summary>Name, version and events of a document; names unique across the kind unless the kind scopes them itself.</summary>
    public static void ConfigureDocument<T>(this EntityTypeBuilder<T> builder, bool uniqueName = true) where T : Domain.Events.Document
    {
        builder.Property(d => d.Name).HasMaxLength(NameRules.MaxLength).IsRequired();
        builder.Property(d => d.NormalizedName).HasMaxLength(NameRules.MaxLength).IsRequired();
        if (uniqueName)
        {
            builder.HasIndex(d => d.NormalizedName).IsUnique();
        }
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.DomainEvents);
    }
}
