using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

/// <summary>
/// Enrolment tokens, their environments and policies as join tables (as a machine's environments). Deleting an environment
/// or a policy takes it out of the tokens that allow it, rather than being refused: a token is a grant, not a user of it.
/// </summary>
internal sealed class EnrolmentTokenConfiguration : IEntityTypeConfiguration<EnrolmentToken>
{
    /// <summary>The hint is the prefix and a few characters of the secret.</summary>
    public const int HintMaxLength = 20;

    public void Configure(EntityTypeBuilder<EnrolmentToken> builder)
    {
        builder.ToTable("EnrolmentTokens");
        builder.ConfigureDocument();
        builder.Property(t => t.SecretHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.Property(t => t.Hint).HasMaxLength(HintMaxLength).IsRequired();
        builder.Property(t => t.LastUsedBy).HasMaxLength(NameRules.MaxLength);
        builder.HasMany(t => t.Environments).WithMany()
            .UsingEntity("EnrolmentTokenEnvironments",
                l => l.HasOne(typeof(DeploymentEnvironment)).WithMany().HasForeignKey("EnvironmentId").OnDelete(DeleteBehavior.Cascade),
                r => r.HasOne(typeof(EnrolmentToken)).WithMany().HasForeignKey("EnrolmentTokenId").OnDelete(DeleteBehavior.Cascade));
        builder.HasMany(t => t.Policies).WithMany()
            .UsingEntity("EnrolmentTokenPolicies",
                l => l.HasOne(typeof(MachinePolicy)).WithMany().HasForeignKey("PolicyId").OnDelete(DeleteBehavior.Cascade),
                r => r.HasOne(typeof(EnrolmentToken)).WithMany().HasForeignKey("EnrolmentTokenId").OnDelete(DeleteBehavior.Cascade));
    }
}
