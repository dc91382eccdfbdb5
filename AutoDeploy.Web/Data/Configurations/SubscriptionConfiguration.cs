using AutoDeploy.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutoDeploy.Web.Data.Configurations;

/// <summary>
/// Subscriptions, their cursors and delivery logs (deleted with them). The projects and environments a subscription names
/// are ids in a list, not foreign keys: a deleted project leaves an id that matches no event, as a trigger's environments do.
/// </summary>
internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("Subscriptions");
        builder.ConfigureDocument();
        builder.Property(s => s.Url).HasMaxLength(Subscription.MaxUrlLength).IsRequired();
        builder.Property(s => s.ProtectedSecret).HasMaxLength(2000).IsRequired();
        builder.Property(s => s.SecretHint).HasMaxLength(20).IsRequired();
        builder.Property(s => s.PausedReason).HasMaxLength(Subscription.MaxReasonLength);
        builder.Ignore(s => s.Categories);
        builder.Ignore(s => s.IsPaused);
    }
}

internal sealed class SubscriptionCursorConfiguration : IEntityTypeConfiguration<SubscriptionCursor>
{
    public void Configure(EntityTypeBuilder<SubscriptionCursor> builder)
    {
        builder.ToTable("SubscriptionCursors");
        builder.HasKey(c => c.SubscriptionId);
        builder.Property(c => c.SubscriptionId).ValueGeneratedNever();
        builder.Property(c => c.LeaseOwner).HasMaxLength(200);
        builder.HasOne<Subscription>().WithOne().HasForeignKey<SubscriptionCursor>(c => c.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubscriptionDeliveryConfiguration : IEntityTypeConfiguration<SubscriptionDelivery>
{
    public void Configure(EntityTypeBuilder<SubscriptionDelivery> builder)
    {
        builder.ToTable("SubscriptionDeliveries");
        builder.Property(d => d.Category).HasMaxLength(100);
        builder.Property(d => d.Excerpt).HasMaxLength(SubscriptionDelivery.MaxExcerptLength);
        builder.HasIndex(d => new { d.SubscriptionId, d.Id });
        builder.HasOne<Subscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
