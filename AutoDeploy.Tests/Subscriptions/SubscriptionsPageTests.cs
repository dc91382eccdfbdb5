using AngleSharp.Dom;
using AutoDeploy.Domain.Subscriptions;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Components.Pages.Subscriptions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Subscriptions;
using Bunit;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary>The subscriptions page on a migrated SQLite file, posting to a real receiver: create (the secret once) and the test button.</summary>
public sealed class SubscriptionsPageTests : MudBunitContext
{
    private SqliteDatabase _database = null!;
    private WebhookReceiver _receiver = null!;

    private SubscriptionService Subscriptions => Services.GetRequiredService<SubscriptionService>();

    public override async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _receiver = await WebhookReceiver.StartAsync();
        Services.AddSingleton<IDbContextFactory<AutoDeployDbContext>>(_database);
        Services.AddSingleton(_database.Time);
        Services.AddSingleton<IValidator<SubscriptionInput>, SubscriptionInputValidator>();
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton(Options.Create(new SubscriptionOptions { Timeout = TimeSpan.FromSeconds(5) }));
        Services.AddHttpClient();
        Services.AddSingleton<SubscriptionSecrets>();
        Services.AddSingleton<WebhookSender>();
        Services.AddSingleton<SubscriptionService>();
        AddAuthorization().SetAuthorized("admin@autodeploy.test").SetPolicies(Policies.View, Policies.Administer);
    }

    protected override async Task OnDisposedAsync()
    {
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Send_test_event_posts_a_signed_test_event_and_shows_it_in_the_delivery_log()
    {
        var (_, created) = await Subscriptions.CreateAsync(new SubscriptionInput { Name = "chat", Url = _receiver.Url });
        var page = Render<SubscriptionsPage>();
        var button = page.WaitForElement("[data-testid='send-test-event']");

        await button.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("200", page.Find("[data-testid='delivery-status']").TextContent.Trim()));
        var received = Assert.Single(_receiver.All);
        Assert.Equal(WebhookPayload.TestCategory, received.Category);
        Assert.True(WebhookSignature.Verify(created!.Secret, received.Signature, received.Body));
    }

    [Fact]
    public async Task Creating_a_subscription_shows_its_secret_once_and_lists_it()
    {
        var page = Render<SubscriptionsPage>();
        page.WaitForElement("[data-testid='subscriptions']");
        await page.Find("[data-testid='new-subscription']").ClickAsync(new());

        Field(page, "Name").Change("team chat");
        Field(page, "URL").Change("not a url");
        await page.Find("[data-testid='subscription-create']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("absolute http:// or https://", page.Find("[data-testid='subscription-form']").TextContent));
        Field(page, "URL").Change(_receiver.Url);
        await page.Find("[data-testid='subscription-create']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("whsec_", page.Find("[data-testid='subscription-secret']").TextContent));
        var secret = page.Find("[data-testid='subscription-secret']").TextContent;
        var stored = (await Subscriptions.ListAsync()).Single();
        Assert.Equal(("team chat", _receiver.Url, secret[..10]), (stored.Name, stored.Url, stored.SecretHint));
        var again = Render<SubscriptionsPage>();
        again.WaitForAssertion(() => Assert.Contains("team chat", again.Find("[data-testid='subscriptions']").TextContent));
        Assert.DoesNotContain(secret, again.Markup);
    }

    private static IElement Field(IRenderedComponent<SubscriptionsPage> page, string label) =>
        page.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label).QuerySelector("input")!;
}
